// What a run records in its output folder, beside the images: the provenance of every output (manifest),
// the inputs it left out (skipped) and a summary. Files sit at the top of the output folder, named
// sinforge.<kind>.<shard>.<ext>: torchvision's ImageFolder takes every sub-folder for a class and refuses
// class folders without images, so records must not live in a sub-folder.
//
//   sinforge.manifest.shard-K-of-N.csv   content,painting,output,width,height   (one row per output written)
//                                        (--output-layout webdataset: output is the sample's key, and a sixth
//                                        column, tar, names the tar file that holds it; see webdataset.h)
//                                        (`derive`: content,derivation,output,width,height; derive_plan.h)
//   sinforge.skipped.shard-K-of-N.csv    kind,path,reason                       (one row per input left out)
//   sinforge.summary.shard-K-of-N.json   counts, timings, settings, versions, weights' digest
//
// Rows are appended as work completes and flushed after every batch, so they double as the run's journal.
// Paths in rows are relative: content to --content, painting to --styles, output to --out.
#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/core/csv.h"
#include "sinforge/image/skipped_input.h"
#include "sinforge/output/recorder.h"
#include "sinforge/plan/shard.h"

namespace sinforge {

std::filesystem::path manifest_path(const std::filesystem::path& out_dir, const ShardId& shard);
std::filesystem::path skipped_path(const std::filesystem::path& out_dir, const ShardId& shard);
std::filesystem::path summary_path(const std::filesystem::path& out_dir, const ShardId& shard);

// Appends rows to one shard's manifest and skipped files (creating them with a header). Thread-safe.
class RunRecorder : public Recorder {
 public:
  // with_tar_column: the manifest has the sixth column, tar (webdataset layout). second_column names the
  // manifest's second column in its header: `derive` records there how each output was made ("derivation")
  // where `run` records the painting; the rows read back alike (read_manifests skips the header).
  RunRecorder(const std::filesystem::path& out_dir, const ShardId& shard, bool with_tar_column = false,
              const std::string& second_column = "painting");
  ~RunRecorder() override;
  RunRecorder(const RunRecorder&) = delete;
  RunRecorder& operator=(const RunRecorder&) = delete;

  void record_output(const ManifestEntry& entry) override;
  void record_skip(const SkippedInput& skipped);
  // Flushes both files to the disk (fsync): after this, every recorded row survives a crash. Throws when
  // the disk refuses (full, gone read-only): the journal would otherwise silently fall behind.
  void flush() override;
  // Time spent in flush() so far: the journal's cost (docs/PERFORMANCE.md).
  double flush_seconds() const { return flush_seconds_; }
  // Writes the summary atomically (temporary file, rename).
  void write_summary(const nlohmann::json& summary);

 private:
  std::filesystem::path out_dir_;
  ShardId shard_;
  bool with_tar_column_ = false;
  std::mutex mutex_;
  std::FILE* manifest_ = nullptr;
  std::FILE* skipped_ = nullptr;
  double flush_seconds_ = 0;
};

// Parses a file of rows (core/csv.h: csv_row's quoting), header included. A torn last row (a crash
// mid-write) is dropped.
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& file);

// A manifest row (5 or 6 columns) as an entry; std::runtime_error naming `where` on another column count
// or a width or height that is not a decimal number in int's range.
ManifestEntry manifest_entry(const std::vector<std::string>& row, const std::string& where);

// Every shard's manifest rows in an output folder (header rows removed); rows of 5 or 6 columns.
std::vector<ManifestEntry> read_manifests(const std::filesystem::path& out_dir);

}  // namespace sinforge
