// `sinforge bench`: flags -> BenchOptions -> run_bench; prints the table and optionally writes JSON.
#include <cxxopts.hpp>

#include <fstream>
#include <iostream>
#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/tools/bench.h"

namespace sinforge::cli {

namespace {

void add_bench_flags(cxxopts::Options& cli) {
  // clang-format off
  cli.add_options()
      ("device", "auto, cpu, cuda or cuda:I", cxxopts::value<std::string>()->default_value("auto"))
      ("precision", "fp32, fp16 or bf16 (fp16/bf16 on GPU only)", cxxopts::value<std::string>()->default_value("fp32"))
      ("batch-size", "images per network batch (0: 1 on the CPU, 128 on a GPU)", cxxopts::value<int>()->default_value("0"))
      ("threads", "threads (0: every core)", cxxopts::value<int>()->default_value("0"))
      ("recipes", "recipes to measure: sin224, full, sin64", cxxopts::value<std::string>()->default_value("sin224,full,sin64"))
      ("content", "folder of real content images to decode and run (default: synthetic JPEGs)", cxxopts::value<std::string>())
      ("vgg", "vgg_normalised.pth (default: random weights)", cxxopts::value<std::string>())
      ("decoder", "decoder.pth (default: random weights)", cxxopts::value<std::string>())
      ("repetitions", "repetitions of each figure (median and spread are reported)", cxxopts::value<int>()->default_value("3"))
      ("min-time", "seconds each repetition runs at least", cxxopts::value<double>()->default_value("0.1"))
      ("end-to-end-images", "images per end-to-end run (0: two batches)", cxxopts::value<int>()->default_value("0"))
      ("mixed-images", "ImageNet-like mixed-size images per end_to_end_mixed run (0: 2000 on a GPU, 12 on the CPU)", cxxopts::value<int>()->default_value("0"))
      ("paintings", "paintings of varied sizes for styles/bank_mixed (0: 512 on a GPU, 4 on the CPU)", cxxopts::value<int>()->default_value("0"))
      ("filter", "regex on the benchmark names (recipe/stage/min_time:...; as --benchmark_filter)", cxxopts::value<std::string>()->default_value(""))
      ("json", "also write the figures to this JSON file", cxxopts::value<std::string>())
      ("write-data", "only write the mixed data set (DIR/content: --mixed-images ImageNet-like JPEGs, DIR/styles: --paintings paintings) and exit, for running other tools on the same files", cxxopts::value<std::string>())
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
}

BenchOptions read_bench_flags(const cxxopts::ParseResult& r) {
  BenchOptions o;
  o.device = r["device"].as<std::string>();
  o.precision = parse_precision(r["precision"].as<std::string>());
  o.batch_size = r["batch-size"].as<int>();
  o.threads = r["threads"].as<int>();
  o.recipes = parse_recipes(r["recipes"].as<std::string>());
  if (r.count("content") != 0) o.content_dir = r["content"].as<std::string>();
  if (r.count("vgg") != 0) o.vgg = r["vgg"].as<std::string>();
  if (r.count("decoder") != 0) o.decoder = r["decoder"].as<std::string>();
  o.repetitions = r["repetitions"].as<int>();
  o.min_time = r["min-time"].as<double>();
  o.end_to_end_images = r["end-to-end-images"].as<int>();
  o.mixed_images = r["mixed-images"].as<int>();
  o.paintings = r["paintings"].as<int>();
  o.filter = r["filter"].as<std::string>();
  if (o.end_to_end_images < 0) throw UsageError("--end-to-end-images must be 0 (default) or positive");
  if (!(o.min_time > 0)) throw UsageError("--min-time must be positive");
  return o;
}

void write_json(const BenchReport& report, const std::string& path) {
  std::ofstream out(path);
  out << to_json(report).dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int bench_command(int argc, char** argv) {
  cxxopts::Options cli(
      "sinforge bench",
      "Images per second of each stage of a run alone and end to end, per recipe, on synthetic "
      "data (random weights, generated JPEGs) unless --content/--vgg/--decoder name real data.");
  add_bench_flags(cli);
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;
  const BenchOptions o = read_bench_flags(r);
  if (r.count("write-data") != 0) {
    if (o.mixed_images < 1 || o.paintings < 1)
      throw UsageError("--write-data needs --mixed-images and --paintings");
    write_bench_data(r["write-data"].as<std::string>(), static_cast<size_t>(o.mixed_images),
                     static_cast<size_t>(o.paintings));
    return kExitOk;
  }
  const BenchReport report = run_bench(o);
  print_report(report, std::cout);
  if (r.count("json") != 0) write_json(report, r["json"].as<std::string>());
  return kExitOk;
}

}  // namespace sinforge::cli
