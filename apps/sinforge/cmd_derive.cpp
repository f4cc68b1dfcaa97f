// `sinforge derive`: flags -> DeriveOptions -> run_derive. Every check on values lives in the library's
// validate() (derive_options.h); here only the flags that do not belong to the chosen variant are refused.
#include <cxxopts.hpp>

#include <string>
#include <vector>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/stop.h"
#include "sinforge/derive/derive_run.h"
#include "sinforge/image/image_format.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/plan/scan.h"
#include "sinforge/plan/shard.h"
#include "sinforge/records/records.h"

namespace sinforge::cli {
namespace {

// "8,7,4,2" -> {8, 7, 4, 2}; UsageError naming the flag on anything but whole numbers.
std::vector<int> parse_int_list(const std::string& text, const char* flag) {
  std::vector<int> values;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size())
      throw UsageError(str_cat(flag, " takes whole numbers separated by commas, got '", text, "'"));
    values.push_back(value);
    start = comma + 1;
  }
  return values;
}

std::vector<std::string> parse_text_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

// A flag of another variant is a mistake worth stopping for (a typo'd --variant would otherwise run with
// the defaults of the wrong one).
void refuse_foreign_flags(const cxxopts::ParseResult& r, DeriveVariant v) {
  const auto refuse = [&](const char* flag, bool allowed, const char* for_whom) {
    if (r.count(flag) != 0 && !allowed)
      throw UsageError(str_cat("--", flag, " is for ", for_whom, ", not --variant ", to_string(v)));
  };
  const bool scramble = v == DeriveVariant::kScramble;
  refuse("grid", scramble, "--variant scramble");
  refuse("copies", scramble, "--variant scramble");
  refuse("derange", scramble, "--variant scramble");
  refuse("patch-size", v == DeriveVariant::kPatch, "--variant patch");
  refuse("levels", is_manipulation(v), "the manipulations");
  refuse("spectrum", v == DeriveVariant::kPowerEqualise, "--variant power-equalise");
  refuse("gamma-table", v == DeriveVariant::kFalseColour, "--variant false-colour");
}

DeriveOptions read_flags(const cxxopts::ParseResult& r) {
  DeriveOptions o;
  o.content_dir = required_path(r, "content");
  o.out_dir = required_path(r, "out");
  if (r.count("variant") == 0) throw UsageError("--variant is required: one of " + derive_variant_names());
  const std::string variant = r["variant"].as<std::string>();
  if (!parse_derive_variant(variant, o.variant))
    throw UsageError("--variant must be one of " + derive_variant_names() + ", got '" + variant + "'");
  refuse_foreign_flags(r, o.variant);
  std::string text;
  if (given(r, "grid", text)) o.grids = parse_int_list(text, "--grid");
  given(r, "copies", o.copies);
  o.derange = r.count("derange") != 0;
  if (given(r, "patch-size", text)) o.patch_sizes = parse_int_list(text, "--patch-size");
  if (given(r, "levels", text)) o.levels = parse_text_list(text);
  o.original = r.count("original") != 0;
  if (r.count("spectrum") != 0) o.spectrum_file = r["spectrum"].as<std::string>();
  if (r.count("gamma-table") != 0) o.gamma_table_file = r["gamma-table"].as<std::string>();
  given(r, "content-size", o.content_size);
  given(r, "crop", o.crop);
  given(r, "seed", o.seed);
  if (given(r, "format", text) && !parse_image_format(text, o.output.encoding.format))
    throw UsageError("--format must be jpg or png, got '" + text + "'");
  given(r, "quality", o.output.encoding.jpeg_quality);
  given(r, "png-level", o.output.encoding.png_level);
  if (given(r, "extensions", text)) o.extensions = parse_extensions(text);
  given(r, "threads", o.threads);
  o.shard =
      parse_shard(r["shard"].as<std::string>(),
                  r.count("shard-count") != 0 ? std::optional(r["shard-count"].as<size_t>()) : std::nullopt);
  o.overwrite = r.count("overwrite") != 0;
  given(r, "progress-interval", o.progress_interval);
  if (given(r, "output-layout", text) && !parse_output_layout(text, o.output.layout))
    throw UsageError("--output-layout must be folder or webdataset, got '" + text + "'");
  if (given(r, "tar-size", text)) o.output.tar_size = parse_byte_size(text);
  given(r, "tar-prefix", o.output.tar_prefix);
  return o;
}

}  // namespace

int derive_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge derive",
                       "Write a derived set of every image below --content: the local-versus-global thesis's "
                       "scrambled or patched crops, or one of model-vs-human's manipulations.");
  // clang-format off
  cli.add_options()
      ("content", "folder tree of content images", cxxopts::value<std::string>())
      ("out", "output folder (a folder tree, or the tar shards)", cxxopts::value<std::string>())
      ("output-layout", "folder (ImageFolder trees) or webdataset (tar shards, keys from the folder names)", cxxopts::value<std::string>()->default_value("folder"))
      ("tar-size", "webdataset: bytes per tar, e.g. 1G, 500M, 1GiB", cxxopts::value<std::string>()->default_value("1G"))
      ("tar-prefix", "webdataset: tars are <out>/<prefix>-<shard K>-<NNNNNN>.tar", cxxopts::value<std::string>()->default_value("sinforge"))
      ("variant", "scramble, patch, greyscale, contrast, uniform-noise, low-pass, high-pass, rotation, salt-and-pepper, phase-noise, power-equalise or false-colour", cxxopts::value<std::string>())
      ("grid", "scramble: blocks per side, G[,G...] (224/G px blocks)", cxxopts::value<std::string>()->default_value("8,7,4,2"))
      ("copies", "scramble: random block orders per grid", cxxopts::value<int>()->default_value("3"))
      ("derange", "scramble: never the identity order")
      ("patch-size", "patch: black squares' side in pixels, P[,P...]", cxxopts::value<std::string>()->default_value("10,20,30,40,50,60,70"))
      ("levels", "a manipulation's levels in its own unit, L[,L...] (contrast 0.1 = 10%; default: the published ones)", cxxopts::value<std::string>())
      ("spectrum", "power-equalise: the mean amplitude spectrum, a .npy file (default: the mean over --content, written to <out>/sinforge.spectrum.npy)", cxxopts::value<std::string>())
      ("gamma-table", "false-colour: the monitor's gamma table, a .npy of 256 values (the published x_gamma_function.npy)", cxxopts::value<std::string>())
      ("original", "also write the crop itself")
      ("content-size", "shorter side after resizing (torchvision Resize)", cxxopts::value<int>()->default_value("256"))
      ("crop", "centre crop after resizing (torchvision CenterCrop)", cxxopts::value<int>()->default_value("224"))
      ("seed", "seed of every random draw (block orders, noise)", cxxopts::value<uint64_t>()->default_value("0"))
      ("format", "jpg or png", cxxopts::value<std::string>()->default_value("jpg"))
      ("quality", "JPEG quality 1..100", cxxopts::value<int>()->default_value("75"))
      ("png-level", "PNG compression 0..12: 0 fastest (literal coding), 1..12 libdeflate's levels; the same pixels at every level", cxxopts::value<int>()->default_value("0"))
      ("extensions", "image extensions to scan for, case-insensitive", cxxopts::value<std::string>()->default_value(default_extensions_flag()))
      ("threads", "worker threads (0: every core)", cxxopts::value<int>()->default_value("0"))
      ("shard", "K/N: do shard K of N (0-based), or auto (Slurm array, Kubernetes Indexed Job)", cxxopts::value<std::string>()->default_value("0/1"))
      ("shard-count", "N for --shard auto in a Kubernetes Indexed Job (else SINFORGE_SHARD_COUNT)", cxxopts::value<size_t>())
      ("overwrite", "recompute every output, even where --out holds outputs made with other settings")
      ("progress-interval", "seconds between progress lines when stderr is no terminal (0: no progress)", cxxopts::value<double>()->default_value("30"))
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;
  const DeriveOptions o = read_flags(r);
  validate(o);  // every flag checked before any work

  install_stop_handlers();
  const DeriveSummary s = run_derive(o);
  if (s.stop_signal != 0) {
    log::warn(str_cat("stopped by signal ", s.stop_signal, " after ", s.written, " images; the journal is ",
                      "flushed: run the same command again to resume"));
    return 128 + s.stop_signal;
  }
  log::info(str_cat("done: ", s.written, " images written to ", o.out_dir.string(), ", ", s.skipped,
                    " content images skipped (see ", skipped_path(o.out_dir, o.shard).filename().string(),
                    "), ", s.seconds, " s"));
  return kExitOk;
}

}  // namespace sinforge::cli
