// `sinforge shape-bias --model FILE --stimuli DIR`: the texture/shape bias of an ImageNet classifier on the
// cue-conflict stimuli (shape_bias.h). Prints the shape bias, the per-class table and the counts; --json and
// --plot write them to files as well.
#include <cxxopts.hpp>

#include <fstream>
#include <iostream>
#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/device.h"
#include "sinforge/core/error.h"
#include "sinforge/shape_bias/classifier.h"
#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/shape_bias.h"
#include "sinforge/shape_bias/shape_bias_plot.h"
#include "sinforge/shape_bias/shape_bias_report.h"

namespace sinforge::cli {
namespace {

void write_json(const ShapeBiasReport& report, const std::string& path) {
  std::ofstream out(path);
  out << shape_bias_json(report).dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

// An output flag's folder must exist: found out before the model runs, not after.
void require_output_folder(const cxxopts::ParseResult& r, const char* name) {
  if (r.count(name) == 0) return;
  const std::filesystem::path file = r[name].as<std::string>();
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  if (!std::filesystem::is_directory(folder))
    throw UsageError(std::string("--") + name + " " + file.string() + ": the folder " + folder.string() +
                     " does not exist");
}

}  // namespace

int shape_bias_command(int argc, char** argv) {
  cxxopts::Options cli(
      "sinforge shape-bias",
      "Measure the texture/shape bias of an ImageNet classifier on the cue-conflict stimuli.");
  // clang-format off
  cli.add_options()
      ("model", "TorchScript file of an ImageNet classifier (1,000 logits; see README)", cxxopts::value<std::string>())
      ("stimuli", "the cue-conflict folder: one subfolder per class, <shape><i>-<texture><j>.png", cxxopts::value<std::string>())
      ("device", "auto, cpu, cuda or cuda:I", cxxopts::value<std::string>()->default_value("auto"))
      ("batch-size", "images per forward pass", cxxopts::value<int>()->default_value("32"))
      ("json", "also write the figures to this JSON file", cxxopts::value<std::string>())
      ("plot", "also draw the per-class chart into this PNG file", cxxopts::value<std::string>())
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;
  const std::filesystem::path model_file = required_path(r, "model");
  const std::filesystem::path stimuli_dir = required_path(r, "stimuli");
  ShapeBiasOptions options;
  options.batch_size = r["batch-size"].as<int>();
  if (options.batch_size < 1) throw UsageError("--batch-size must be positive");
  if (r.count("plot") != 0 && !shape_bias_plot_available())
    throw UsageError("--plot: this sinforge was built without PLplot (libplplot-dev)");
  require_output_folder(r, "json");
  require_output_folder(r, "plot");
  const at::Device device = parse_device(r["device"].as<std::string>());

  const CueConflictStimuli stimuli = scan_cue_conflict(stimuli_dir);
  const std::unique_ptr<ImageNetClassifier> model = load_imagenet_classifier(model_file, device);
  const ShapeBiasReport report = measure_shape_bias(*model, stimuli, options);
  print_shape_bias(report, std::cout);
  if (r.count("json") != 0) write_json(report, r["json"].as<std::string>());
  if (r.count("plot") != 0) plot_shape_bias(report, r["plot"].as<std::string>());
  return kExitOk;
}

}  // namespace sinforge::cli
