// `sinforge bench`: images per second for each stage of a run alone (decode, preprocess, upload, model,
// download, encode, write) and end to end, per recipe (sin224, full, sin64), on synthetic data (random
// weights, generated JPEGs) or real data; and the AdaIN kernel against the same computation in LibTorch ops,
// in bytes moved per second beside the device's copy bandwidth. Each figure is a Google Benchmark with its
// repetitions and statistics.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/network.h"

namespace sinforge {

struct BenchOptions {
  std::string device = "auto";
  Precision precision = Precision::kFp32;
  int batch_size = 0;  // 0: 1 on the CPU, 32 on a GPU
  int threads = 0;     // 0: every core
  std::vector<std::string> recipes = {"sin224", "full", "sin64"};
  std::filesystem::path content_dir;  // optional real data: JPEGs to decode and run end to end
  std::filesystem::path vgg;          // optional real weights (both or neither)
  std::filesystem::path decoder;
  int repetitions = 3;
  double min_time = 0.1;      // seconds per repetition, at least one iteration
  int end_to_end_images = 0;  // 0: two batches
  std::string filter;         // regex on the figures' names, as --benchmark_filter
};

struct BenchFigure {
  std::string name;    // recipe/stage
  double seconds = 0;  // median time per iteration
  double seconds_stddev = 0;
  double images_per_second = 0;  // median; 0 where not meaningful
  double bytes_per_second = 0;   // median; kernel and copy figures
  int repetitions = 0;
  int64_t iterations = 0;
};

struct BenchReport {
  std::string device;
  std::string precision;
  int batch_size = 0;
  int threads = 0;
  std::string data;  // "synthetic" or what was read
  std::vector<BenchFigure> figures;
};

// Parses recipe names; throws UsageError on an unknown one.
std::vector<std::string> parse_recipes(const std::string& comma_list);

BenchReport run_bench(const BenchOptions& options);
void print_report(const BenchReport& report, std::ostream& out);
nlohmann::json to_json(const BenchReport& report);

}  // namespace sinforge
