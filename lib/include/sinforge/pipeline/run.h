// `sinforge run`: stylize a folder tree of content images with a folder tree of paintings.
// Data flows one way: scan -> plan -> decode -> model -> encode -> write.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sinforge/core/size_batcher.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/model/network.h"
#include "sinforge/model/session.h"
#include "sinforge/output/output_options.h"
#include "sinforge/plan/scan.h"
#include "sinforge/plan/tar_scan.h"
#include "sinforge/records/records.h"

namespace sinforge {

struct RunOptions {
  std::filesystem::path content_dir;  // a folder tree, or tar shards (plan/tar_scan.h: names_tar_shards)
  // --classes: the names of the tar samples' .cls numbers; empty: the numbers are the class folders.
  std::filesystem::path classes_file;
  std::filesystem::path styles_dir;
  std::filesystem::path out_dir;
  std::filesystem::path vgg;  // resolved weight files (see weights_locator.h)
  std::filesystem::path decoder;
  size_t num_styles = 1;
  // --pairs: the explicit content-to-painting map (pairs_file.h); empty: the seeded draw.
  std::filesystem::path pairs_file;
  // --cue-conflict: textures of other classes, outputs named as cue-conflict stimuli (cue_conflict_plan.h).
  bool cue_conflict = false;
  float alpha = 1.f;
  // --content-size, --crop, --output-size: the content's recipe; --style-*: the paintings' (recipe.h).
  ContentRecipe content;
  StyleRecipe style;
  std::filesystem::path style_bank;  // the paintings' statistics file; empty: <out>/sinforge.styles.bank
  uint64_t seed = 0;
  SessionOptions session;  // --device, --precision, --threads (session.h)
  OutputOptions output;    // --format, --quality, --png-level, --output-layout, --tar-size, --tar-prefix
  int batch_size = 0;      // 0: auto, default_batch_size(device) (device_memory.h)
  std::vector<std::string> extensions = default_extensions();
  ShardId shard;           // which part of the content list this process does (shard.h)
  bool overwrite = false;  // recompute every output, even with other settings recorded (run_settings.h)
  double progress_interval = 30;  // seconds between progress log lines when stderr is no terminal; 0: none
};

// Every check that can be made before work starts; throws UsageError naming the flag.
void validate(const RunOptions& options);
// The parts of validate that the commands reading run's flags (preview) share: --content (a folder tree or
// tar shards), --classes, --styles and --extensions; the recipe's --alpha, --content-size, --style-size and
// --crop.
void validate_inputs(const RunOptions& options);
void validate_recipe(const RunOptions& options);

// The samples of the tar shards --content names (names_tar_shards), classed by --classes when given: every
// tar read to its end, tars in parallel; for the webdataset layout without samples that share a key
// (leave_out_shared_keys); the count and each problem logged.
TarScan scan_content_tars(const RunOptions& options);

struct RunSummary {
  size_t contents = 0;          // content images found
  size_t paintings = 0;         // usable paintings
  size_t written = 0;           // output images written (webdataset: in committed tars)
  size_t skipped_contents = 0;  // listed with their reasons in the output folder's records (records.h)
  size_t skipped_paintings = 0;
  size_t resumed_contents = 0;      // done by an earlier run of the same command (resume.h)
  int batch_size = 0;               // the batch size used (auto resolved)
  BatchingStats batching;           // how full the content batches were (size_batcher.h)
  double paintings_per_second = 0;  // style bank encoding rate; 0 when the bank was read from its file
  int stop_signal = 0;              // non-zero: stopped early by this signal (stop.h); resumable
  double seconds = 0;
};

RunSummary run_stylize(const RunOptions& options);

}  // namespace sinforge
