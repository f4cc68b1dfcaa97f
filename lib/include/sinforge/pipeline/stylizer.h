// The content side of a run: decode in order on a pool, batch images of equal size, run encoder, AdaIN and
// decoder once per style, and hand the results to the writer.
#pragma once

#include <filesystem>
#include <set>
#include <vector>

#include "sinforge/core/progress.h"
#include "sinforge/core/size_batcher.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/tar_source.h"
#include "sinforge/model/network.h"
#include "sinforge/model/style_bank.h"
#include "sinforge/output/output_sink.h"
#include "sinforge/plan/output_plan.h"
#include "sinforge/records/records.h"

namespace sinforge {

struct StylizeSettings {
  std::filesystem::path content_dir;
  ContentRecipe recipe;
  float alpha = 1.f;
  int batch_size = 4;
  std::set<std::filesystem::path> existing_outputs;  // written by an earlier run: not written again
  ProgressMode progress_mode = ProgressMode::kOff;
  double progress_interval = 30;      // seconds between log lines (ProgressMode::kLog)
  BatchingStats* batching = nullptr;  // when given, receives how full the batches were
  // --content tar shards: the images are read from here, item i for planned[i], instead of content_dir.
  TarContentSource* tar_source = nullptr;
};

// Stylizes every planned content image: outputs go to the sink (which records them in the manifest once
// they are durable); inputs that cannot be used into the recorder's skipped list. Returns the number of
// inputs skipped. Stops early, after the batch in flight, once stop_requested() (stop.h).
size_t stylize_contents(const std::vector<PlannedContent>& planned, const StyleBank& bank,
                        const StyleNetwork& net, const StylizeSettings& settings, ThreadPool& decoders,
                        OutputSink& sink, RunRecorder& recorder);

}  // namespace sinforge
