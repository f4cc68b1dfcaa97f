// `sinforge run`: flags -> RunOptions -> run_stylize. Every check on values lives in the library's
// validate(), so the CLI stays a thin layer.
#include <cxxopts.hpp>

#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "sinforge/error.h"
#include "sinforge/log.h"
#include "sinforge/network.h"
#include "sinforge/preset.h"
#include "sinforge/records.h"
#include "sinforge/run.h"
#include "sinforge/scan.h"
#include "sinforge/shard.h"
#include "sinforge/stop.h"
#include "sinforge/weights_locator.h"

namespace sinforge::cli {
namespace {

std::optional<std::filesystem::path> optional_path(const cxxopts::ParseResult& r, const std::string& name) {
  if (r.count(name) == 0) return std::nullopt;
  return std::filesystem::path(r[name].as<std::string>());
}

ImageFormat parse_format(const std::string& name) {
  if (name == "jpg" || name == "jpeg") return ImageFormat::kJpeg;
  if (name == "png") return ImageFormat::kPng;
  throw UsageError("--format must be jpg or png, got '" + name + "'");
}

template <typename T>
bool given(const cxxopts::ParseResult& r, const std::string& name, T& value) {
  if (r.count(name) == 0) return false;
  value = r[name].as<T>();
  return true;
}

}  // namespace

void apply_run_flags(const cxxopts::ParseResult& r, RunOptions& o) {
  int num_styles = 0;
  if (given(r, "num-styles", num_styles)) {
    if (num_styles < 1) throw UsageError("--num-styles must be at least 1");
    o.num_styles = static_cast<size_t>(num_styles);
  }
  given(r, "alpha", o.alpha);
  given(r, "content-size", o.content_size);
  given(r, "crop", o.crop);
  given(r, "output-size", o.output_size);
  given(r, "seed", o.seed);
  std::string text;
  if (given(r, "format", text)) o.format = parse_format(text);
  given(r, "quality", o.quality);
  if (given(r, "extensions", text)) o.extensions = parse_extensions(text);
  apply_style_flags(r, o);
  given(r, "batch-size", o.batch_size);
  given(r, "threads", o.threads);
  o.device = r["device"].as<std::string>();
  o.precision = parse_precision(r["precision"].as<std::string>());
  if (r.count("style-bank") != 0) o.style_bank = r["style-bank"].as<std::string>();
}

void apply_style_flags(const cxxopts::ParseResult& r, RunOptions& o) {
  given(r, "style-size", o.style_size);
  given(r, "style-min-size", o.style_min_size);
  std::string text;
  if (given(r, "style-crop", text) && !parse_style_crop(text, o.style_crop))
    throw UsageError("--style-crop must be none or square, got '" + text + "'");
  if (given(r, "style-filter", text) && !parse_resample_filter(text, o.style_filter))
    throw UsageError("--style-filter must be bilinear, lanczos or box, got '" + text + "'");
}

int run_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge run", "Stylize every image below --content with paintings from --styles.");
  // clang-format off
  cli.add_options()
      ("content", "folder tree of content images", cxxopts::value<std::string>())
      ("styles", "folder tree of paintings", cxxopts::value<std::string>())
      ("out", "output folder (mirrors the content tree)", cxxopts::value<std::string>())
      ("vgg", "vgg_normalised.pth (default: see weights/README.md)", cxxopts::value<std::string>())
      ("decoder", "decoder.pth (default: see weights/README.md)", cxxopts::value<std::string>())
      ("preset", "sin224, sin64, full or a YAML file (configs/); explicit flags override it", cxxopts::value<std::string>())
      ("num-styles", "paintings per content image", cxxopts::value<int>()->default_value("1"))
      ("alpha", "style strength in [0, 1]", cxxopts::value<float>()->default_value("1"))
      ("content-size", "content's shorter side (0 keeps the size)", cxxopts::value<int>()->default_value("0"))
      ("style-size", "paintings' shorter side (0 keeps the size); with --style-crop square the square's side", cxxopts::value<int>()->default_value("512"))
      ("style-crop", "none, or square: crop each painting to its centred square first", cxxopts::value<std::string>()->default_value("none"))
      ("style-filter", "resize filter for paintings: bilinear, lanczos or box", cxxopts::value<std::string>()->default_value("bilinear"))
      ("style-min-size", "exclude paintings under N pixels on a side (0: none)", cxxopts::value<int>()->default_value("0"))
      ("style-bank", "file of the paintings' statistics, built or reused (default: <out>/sinforge.styles.bank)", cxxopts::value<std::string>())
      ("crop", "centre crop of the content, after resizing (0: none)", cxxopts::value<int>()->default_value("0"))
      ("output-size", "shrink each square result to NxN by area averaging (0: keep; needs --crop)", cxxopts::value<int>()->default_value("0"))
      ("seed", "seed of the painting choice", cxxopts::value<uint64_t>()->default_value("0"))
      ("format", "jpg or png", cxxopts::value<std::string>()->default_value("jpg"))
      ("quality", "JPEG quality 1..100", cxxopts::value<int>()->default_value("75"))
      ("device", "auto, cpu, cuda or cuda:I", cxxopts::value<std::string>()->default_value("auto"))
      ("precision", "fp32, fp16 or bf16 (fp16/bf16 on GPU only)", cxxopts::value<std::string>()->default_value("fp32"))
      ("batch-size", "images per network batch", cxxopts::value<int>()->default_value("4"))
      ("extensions", "image extensions to scan for, case-insensitive", cxxopts::value<std::string>()->default_value("jpg,jpeg,png"))
      ("threads", "worker threads (0: every core)", cxxopts::value<int>()->default_value("0"))
      ("shard", "K/N: do shard K of N (0-based), or auto (Slurm array, Kubernetes Indexed Job)", cxxopts::value<std::string>()->default_value("0/1"))
      ("shard-count", "N for --shard auto in a Kubernetes Indexed Job (else SINFORGE_SHARD_COUNT)", cxxopts::value<size_t>())
      ("overwrite", "recompute every output, even where --out holds outputs made with other settings")
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
  const cxxopts::ParseResult r = cli.parse(argc, argv);
  if (r.count("help") != 0) {
    std::cout << cli.help() << '\n';
    return kExitOk;
  }
  if (!r.unmatched().empty()) throw UsageError("unexpected argument '" + r.unmatched()[0] + "'");
  log::set_level(log::parse_level(r["log-level"].as<std::string>()));

  RunOptions o;
  const auto require = [&](const char* name) {
    if (r.count(name) == 0) throw UsageError(std::string("--") + name + " is required");
    return std::filesystem::path(r[name].as<std::string>());
  };
  o.content_dir = require("content");
  o.styles_dir = require("styles");
  o.out_dir = require("out");
  // A preset first, then every flag given explicitly on top of it.
  if (r.count("preset") != 0) apply_preset(resolve_preset(r["preset"].as<std::string>()), o);
  apply_run_flags(r, o);
  o.shard =
      parse_shard(r["shard"].as<std::string>(),
                  r.count("shard-count") != 0 ? std::optional(r["shard-count"].as<size_t>()) : std::nullopt);
  o.overwrite = r.count("overwrite") != 0;
  validate(o);  // flags first: a bad flag is reported even when the weights are missing too
  const WeightPaths weights = locate_weights(optional_path(r, "vgg"), optional_path(r, "decoder"));
  o.vgg = weights.vgg;
  o.decoder = weights.decoder;

  install_stop_handlers();
  const RunSummary s = run_stylize(o);
  if (s.stop_signal != 0) {
    log::warn(format("stopped by signal ", s.stop_signal, " after ", s.written, " images; the journal is ",
                     "flushed: run the same command again to resume"));
    return 128 + s.stop_signal;  // the shell's convention: 130 for SIGINT, 143 for SIGTERM
  }
  log::info(format("done: ", s.written, " images written to ", o.out_dir.string(), ", ", s.skipped_contents,
                   " content images and ", s.skipped_paintings, " paintings skipped (see ",
                   skipped_path(o.out_dir, o.shard).filename().string(), "), ", s.seconds, " s"));
  return kExitOk;
}

}  // namespace sinforge::cli
