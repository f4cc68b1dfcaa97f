// The content side of a run: decode in order on a pool, batch images of equal size, run encoder, AdaIN and
// decoder once per style, and hand the results to the writer.
#pragma once

#include <filesystem>
#include <set>
#include <vector>

#include "sinforge/network.h"
#include "sinforge/output_sink.h"
#include "sinforge/plan.h"
#include "sinforge/progress.h"
#include "sinforge/recipe.h"
#include "sinforge/records.h"
#include "sinforge/size_batcher.h"
#include "sinforge/style_bank.h"
#include "sinforge/thread_pool.h"

namespace sinforge {

// A bucket of one image size is run, full or not, once this many batches' worth of further inputs came
// after its first image (size_batcher.h); decoded images wait in host memory meanwhile (at most that many
// batches' worth). On the ImageNet-like mix at batch 128 (sinforge bench's batching table,
// docs/PERFORMANCE.md) a deadline of 4 batches puts 41 % of the images into full batches, 16 batches 63 %,
// 64 batches 72 %: a GPU waits 16 (at most 2,048 decoded images, about 1 GB at 500x375); the CPU, which
// gains nothing from batching, 4.
inline constexpr size_t kBucketDeadlineBatchesCpu = 4;
inline constexpr size_t kBucketDeadlineBatchesGpu = 16;

struct StylizeSettings {
  std::filesystem::path content_dir;
  std::filesystem::path out_dir;
  ContentRecipe recipe;
  float alpha = 1.f;
  int batch_size = 4;
  std::set<std::filesystem::path> existing_outputs;  // written by an earlier run: not written again
  ProgressMode progress_mode = ProgressMode::kOff;
  double progress_interval = 30;      // seconds between log lines (ProgressMode::kLog)
  BatchingStats* batching = nullptr;  // when given, receives how full the batches were
};

// Stylizes every planned content image: outputs go to the sink (which records them in the manifest once
// they are durable); inputs that cannot be used into the recorder's skipped list. Returns the number of
// inputs skipped. Stops early, after the batch in flight, once stop_requested() (stop.h).
size_t stylize_contents(const std::vector<PlannedContent>& planned, const StyleBank& bank,
                        const StyleNetwork& net, const StylizeSettings& settings, ThreadPool& decoders,
                        OutputSink& sink, RunRecorder& recorder);

}  // namespace sinforge
