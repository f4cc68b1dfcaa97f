#include "run_flags.h"

#include <iostream>
#include <optional>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/image/recipe.h"
#include "sinforge/model/network.h"
#include "sinforge/pipeline/preset.h"
#include "sinforge/plan/scan.h"
#include "sinforge/weights/weights_locator.h"

namespace sinforge::cli {

std::string default_extensions_flag() {
  std::string list;
  for (const std::string& e : default_extensions()) list += (list.empty() ? "" : ",") + e;
  return list;
}

void add_shared_run_flags(cxxopts::Options& cli) {
  // clang-format off
  cli.add_options()
      ("content", "folder tree of content images", cxxopts::value<std::string>())
      ("styles", "folder tree of paintings", cxxopts::value<std::string>())
      ("vgg", "vgg_normalised.pth (default: see weights/README.md)", cxxopts::value<std::string>())
      ("decoder", "decoder.pth (default: see weights/README.md)", cxxopts::value<std::string>())
      ("preset", "sin224, sin64, full, cue-conflict or a YAML file (configs/); explicit flags override it", cxxopts::value<std::string>())
      ("alpha", "style strength in [0, 1]", cxxopts::value<float>()->default_value("1"))
      ("content-size", "content's shorter side (0 keeps the size)", cxxopts::value<int>()->default_value("0"))
      ("crop", "centre crop of the content, after resizing (0: none)", cxxopts::value<int>()->default_value("0"))
      ("seed", "seed of the painting choice", cxxopts::value<uint64_t>()->default_value("0"))
      ("cue-conflict", "class folders: pair each image with paintings of other classes, name outputs <class><i>-<class><j> (shape-bias --stimuli)", cxxopts::value<bool>())
      ("style-size", "paintings' shorter side (0 keeps the size); with --style-crop square the square's side", cxxopts::value<int>()->default_value("512"))
      ("style-crop", "none, or square: crop each painting to its centred square first", cxxopts::value<std::string>()->default_value("none"))
      ("style-filter", "resize filter for paintings: bilinear, lanczos or box", cxxopts::value<std::string>()->default_value("bilinear"))
      ("style-min-size", "exclude paintings under N pixels on a side (0: none)", cxxopts::value<int>()->default_value("0"))
      ("device", "auto, cpu, cuda or cuda:I", cxxopts::value<std::string>()->default_value("auto"))
      ("precision", "fp32, fp16 or bf16 (fp16/bf16 on GPU only)", cxxopts::value<std::string>()->default_value("fp32"))
      ("extensions", "image extensions to scan for, case-insensitive", cxxopts::value<std::string>()->default_value(default_extensions_flag()))
      ("threads", "worker threads (0: every core)", cxxopts::value<int>()->default_value("0"))
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
}

bool parse_command_line(cxxopts::Options& cli, int argc, char** argv, cxxopts::ParseResult& result) {
  result = cli.parse(argc, argv);
  if (result.count("help") != 0) {
    std::cout << cli.help() << '\n';
    return false;
  }
  if (!result.unmatched().empty()) throw UsageError("unexpected argument '" + result.unmatched()[0] + "'");
  log::set_level(log::parse_level(result["log-level"].as<std::string>()));
  return true;
}

std::filesystem::path required_path(const cxxopts::ParseResult& r, const char* name) {
  if (r.count(name) == 0) throw UsageError(std::string("--") + name + " is required");
  return std::filesystem::path(r[name].as<std::string>());
}

void apply_style_flags(const cxxopts::ParseResult& r, RunOptions& o) {
  given(r, "style-size", o.style.size);
  given(r, "style-min-size", o.style.min_size);
  std::string text;
  if (given(r, "style-crop", text) && !parse_style_crop(text, o.style.crop))
    throw UsageError("--style-crop must be none or square, got '" + text + "'");
  if (given(r, "style-filter", text) && !parse_resample_filter(text, o.style.filter))
    throw UsageError("--style-filter must be bilinear, lanczos or box, got '" + text + "'");
}

RunOptions read_shared_run_flags(const cxxopts::ParseResult& r) {
  RunOptions o;
  o.content_dir = required_path(r, "content");
  o.styles_dir = required_path(r, "styles");
  if (r.count("preset") != 0) apply_preset(resolve_preset(r["preset"].as<std::string>()), o);
  given(r, "alpha", o.alpha);
  given(r, "content-size", o.content.size);
  given(r, "crop", o.content.crop);
  given(r, "seed", o.seed);
  given(r, "cue-conflict", o.cue_conflict);
  std::string text;
  if (given(r, "extensions", text)) o.extensions = parse_extensions(text);
  apply_style_flags(r, o);
  given(r, "threads", o.session.threads);
  o.session.device = r["device"].as<std::string>();
  o.session.precision = parse_precision(r["precision"].as<std::string>());
  return o;
}

void locate_weight_flags(const cxxopts::ParseResult& r, RunOptions& o) {
  const WeightPaths weights = locate_weights(optional_path(r, "vgg"), optional_path(r, "decoder"));
  o.vgg = weights.vgg;
  o.decoder = weights.decoder;
}

std::optional<std::filesystem::path> optional_path(const cxxopts::ParseResult& r, const std::string& name) {
  if (r.count(name) == 0) return std::nullopt;
  return std::filesystem::path(r[name].as<std::string>());
}

}  // namespace sinforge::cli
