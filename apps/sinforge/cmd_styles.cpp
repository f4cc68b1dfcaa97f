// `sinforge styles`: build the style bank file (the paintings' statistics) once, explicitly, e.g. before
// launching many shards that all pass it to `sinforge run --style-bank`.
#include <cxxopts.hpp>

#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/pipeline/preset.h"
#include "sinforge/plan/scan.h"
#include "sinforge/tools/style_bank_command.h"
#include "sinforge/weights/weights_locator.h"

namespace sinforge::cli {
int styles_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge styles",
                       "Encode every painting below --styles once into a style bank file.");
  // clang-format off
  cli.add_options()
      ("styles", "folder tree of paintings", cxxopts::value<std::string>())
      ("out", "the bank file to write (kept when it is up to date)", cxxopts::value<std::string>())
      ("preset", "sin224, sin64, full or a YAML file: its style keys are used", cxxopts::value<std::string>())
      ("style-size", "paintings' shorter side (0 keeps the size); with --style-crop square the square's side", cxxopts::value<int>()->default_value("512"))
      ("style-crop", "none, or square: crop each painting to its centred square first", cxxopts::value<std::string>()->default_value("none"))
      ("style-filter", "resize filter for paintings: bilinear, lanczos or box", cxxopts::value<std::string>()->default_value("bilinear"))
      ("style-min-size", "exclude paintings under N pixels on a side (0: none)", cxxopts::value<int>()->default_value("0"))
      ("vgg", "vgg_normalised.pth (default: see weights/README.md)", cxxopts::value<std::string>())
      ("decoder", "decoder.pth (default: see weights/README.md)", cxxopts::value<std::string>())
      ("device", "auto, cpu, cuda or cuda:I", cxxopts::value<std::string>()->default_value("auto"))
      ("precision", "fp32, fp16 or bf16 (fp16/bf16 on GPU only)", cxxopts::value<std::string>()->default_value("fp32"))
      ("extensions", "image extensions to scan for, case-insensitive", cxxopts::value<std::string>()->default_value(default_extensions_flag()))
      ("threads", "worker threads (0: every core)", cxxopts::value<int>()->default_value("0"))
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;
  // The recipe comes the way `run` reads it (preset, then explicit flags), so both agree on the bank.
  RunOptions o;
  if (r.count("preset") != 0) apply_preset(resolve_preset(r["preset"].as<std::string>()), o);
  apply_style_flags(r, o);
  if (r.count("extensions") != 0) o.extensions = parse_extensions(r["extensions"].as<std::string>());
  StyleBankJob job;
  job.styles_dir = required_path(r, "styles");
  job.file = required_path(r, "out");
  if (!std::filesystem::is_directory(job.styles_dir))
    throw UsageError("--styles " + job.styles_dir.string() + ": no such folder");
  if (std::filesystem::is_directory(job.file))
    throw UsageError("--out " + job.file.string() + " is a folder; it names the bank file");
  if (o.style.size < 0 || o.style.min_size < 0)
    throw UsageError("--style-size and --style-min-size must be >= 0");
  job.recipe = o.style;
  job.extensions = o.extensions;
  job.session = {r["device"].as<std::string>(), parse_precision(r["precision"].as<std::string>()),
                 r["threads"].as<int>(), false};
  check_session_options(job.session);
  const WeightPaths weights = locate_weights(optional_path(r, "vgg"), optional_path(r, "decoder"));
  job.vgg = weights.vgg;
  job.decoder = weights.decoder;
  std::vector<SkippedInput> skipped;
  const size_t usable = make_style_bank_file(job, skipped);
  log::info(
      str_cat("done: ", usable, " paintings in ", job.file.string(), ", ", skipped.size(), " left out"));
  return kExitOk;
}

}  // namespace sinforge::cli
