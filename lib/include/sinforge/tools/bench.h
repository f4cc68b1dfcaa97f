// `sinforge bench`: images per second for each stage of a run alone (decode, preprocess, upload, model,
// download, encode, write) and end to end, per recipe (sin224, full, sin64), on synthetic data (random
// weights, generated JPEGs) or real data; end to end on content of ImageNet-like mixed sizes, with how full
// the batches were; the style bank on paintings of varied sizes (paintings/s); and the AdaIN kernel against
// the same computation in LibTorch ops, in bytes moved per second beside the device's copy bandwidth. Each
// figure is a Google Benchmark with its repetitions and statistics.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/core/size_batcher.h"
#include "sinforge/model/network.h"

namespace sinforge {

struct BenchOptions {
  std::string device = "auto";
  Precision precision = Precision::kFp32;
  int batch_size = 0;  // 0: 1 on the CPU, kGpuDefaultBatchSize (128) on a GPU
  int threads = 0;     // 0: every core
  std::vector<std::string> recipes = {"sin224", "full", "sin64"};
  std::filesystem::path content_dir;  // optional real data: JPEGs to decode and run end to end
  std::filesystem::path vgg;          // optional real weights (both or neither)
  std::filesystem::path decoder;
  int repetitions = 3;
  double min_time = 0.1;      // seconds per repetition, at least one iteration
  int end_to_end_images = 0;  // 0: two batches
  int mixed_images = 0;  // content images of ImageNet-like sizes end to end (0: 2000 on a GPU, 12 on the CPU)
  int paintings = 0;   // paintings of varied sizes for the style bank figure (0: 512 on a GPU, 4 on the CPU)
  std::string filter;  // regex on the figures' names, as --benchmark_filter
};

struct BenchFigure {
  std::string name;    // recipe/stage
  double seconds = 0;  // median time per iteration
  double seconds_stddev = 0;
  // Median CPU time of the bench thread per iteration: a one-thread stage's cost in core-seconds, which
  // leaves out the time it sleeps (a write's fsync waiting on the disk).
  double cpu_seconds = 0;
  double images_per_second = 0;  // median; 0 where not meaningful
  double bytes_per_second = 0;   // median; kernel and copy figures
  int repetitions = 0;
  int64_t iterations = 0;
  double batch_fill = 0;  // end_to_end_mixed: images per batch over the batch capacity (size_batcher.h)
};

// How the size-bucketed batching (size_batcher.h) fills batches on the ImageNet-like mix, per deadline.
struct BatchingFigure {
  size_t deadline_batches = 0;  // a bucket's deadline, in batches' worth of inputs
  BatchingStats stats;
};

struct BenchReport {
  std::string device;
  std::string precision;
  int batch_size = 0;
  int threads = 0;
  std::string data;  // "synthetic" or what was read
  std::vector<BenchFigure> figures;
  std::vector<BatchingFigure> batching;  // at report.batch_size, on imagenet_like_sizes(20000)
};

// Sizes (width, height) shaped like ImageNet's training set, deterministic in seed: mostly 500x375,
// 375x500, 500x333 and 500x500, and a long tail (one side 500, the other anywhere from 150; a few with
// neither side 500). The shares are in bench.cpp and docs/PERFORMANCE.md.
std::vector<std::pair<int, int>> imagenet_like_sizes(size_t count, uint32_t seed);
// The bench's mixed data as files, for running other tools on exactly the same inputs
// (scripts/gpu-compare.sh): dir/content/img<i>.jpg of imagenet_like_sizes(contents, 2026) and
// dir/styles/p<i>.jpg of painting_like_sizes(paintings, 77), photo-like JPEGs (quality 90). Existing files
// are kept.
void write_bench_data(const std::filesystem::path& dir, size_t contents, size_t paintings);

// Painter by Numbers-like paintings: the longer side from 600 to 2400 px, common and random aspect ratios.
std::vector<std::pair<int, int>> painting_like_sizes(size_t count, uint32_t seed);

// Parses recipe names; throws UsageError on an unknown one.
std::vector<std::string> parse_recipes(const std::string& comma_list);

BenchReport run_bench(const BenchOptions& options);
void print_report(const BenchReport& report, std::ostream& out);
nlohmann::json to_json(const BenchReport& report);

}  // namespace sinforge
