#include "sinforge/derive/derive_options.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/image/image_format.h"
#include "sinforge/image/recipe.h"
#include "sinforge/output/output_writer.h"
#include "sinforge/records/run_settings.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

struct VariantInfo {
  DeriveVariant variant;
  const char* name;
  std::vector<std::string> published_levels;  // model-vs-human's datasets/experiments.py; empty: none
};

const std::vector<VariantInfo>& variants() {
  static const std::vector<VariantInfo> all = {
      {DeriveVariant::kScramble, "scramble", {}},
      {DeriveVariant::kPatch, "patch", {}},
      {DeriveVariant::kGreyscale, "greyscale", {"cr", "bw"}},
      {DeriveVariant::kContrast, "contrast", {"1", "0.5", "0.3", "0.15", "0.1", "0.05", "0.03", "0.01"}},
      {DeriveVariant::kUniformNoise,
       "uniform-noise",
       {"0", "0.03", "0.05", "0.1", "0.2", "0.35", "0.6", "0.9"}},
      {DeriveVariant::kLowPass, "low-pass", {"0", "1", "3", "5", "7", "10", "15", "40"}},
      {DeriveVariant::kHighPass, "high-pass", {"inf", "3", "1.5", "1", "0.7", "0.55", "0.45", "0.4"}},
      {DeriveVariant::kRotation, "rotation", {"0", "90", "180", "270"}},
      {DeriveVariant::kSaltAndPepper,
       "salt-and-pepper",
       {"0", "0.1", "0.2", "0.35", "0.5", "0.65", "0.8", "0.95"}},
      {DeriveVariant::kPhaseNoise, "phase-noise", {"0", "30", "60", "90", "120", "150", "180"}},
      {DeriveVariant::kPowerEqualise, "power-equalise", {"original", "equalised"}},
      {DeriveVariant::kFalseColour, "false-colour", {"true", "opponent"}},
  };
  return all;
}

const VariantInfo& info(DeriveVariant v) {
  for (const VariantInfo& i : variants())
    if (i.variant == v) return i;
  throw std::logic_error("unknown derive variant");
}

// A decimal number and nothing else ("0.1", "40", "inf" where allowed).
bool parse_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  size_t used = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && !std::isnan(value);
}

void check_unique(const std::vector<std::string>& items, const char* flag) {
  if (std::set<std::string>(items.begin(), items.end()).size() != items.size())
    throw UsageError(str_cat(flag, " names a value twice: each would overwrite the other's outputs"));
}

void validate_scramble(const DeriveOptions& o) {
  if (o.grids.empty()) throw UsageError("--grid names no grid");
  std::vector<std::string> texts;
  for (const int g : o.grids) {
    if (g < 1) throw UsageError(str_cat("--grid must be at least 1, got ", g));
    if (o.crop % g != 0)
      throw UsageError(str_cat("--grid ", g, " does not divide --crop ", o.crop, " into whole blocks"));
    if (o.derange && g < 2) throw UsageError("--derange needs --grid 2 or more: one block has one order");
    texts.push_back(std::to_string(g));
  }
  check_unique(texts, "--grid");
  if (o.copies < 1) throw UsageError(str_cat("--copies must be at least 1, got ", o.copies));
}

void validate_patch(const DeriveOptions& o) {
  if (o.patch_sizes.empty()) throw UsageError("--patch-size names no size");
  std::vector<std::string> texts;
  for (const int p : o.patch_sizes) {
    if (p < 1 || p > o.crop)
      throw UsageError(str_cat("--patch-size must lie in [1, --crop ", o.crop, "], got ", p));
    texts.push_back(std::to_string(p));
  }
  check_unique(texts, "--patch-size");
}

}  // namespace

std::string to_string(DeriveVariant v) { return info(v).name; }

bool parse_derive_variant(const std::string& name, DeriveVariant& out) {
  for (const VariantInfo& i : variants()) {
    if (name == i.name) {
      out = i.variant;
      return true;
    }
  }
  return false;
}

std::string derive_variant_names() {
  std::string names;
  for (const VariantInfo& i : variants()) names += (names.empty() ? "" : ", ") + std::string(i.name);
  return names;
}

bool is_manipulation(DeriveVariant v) { return v != DeriveVariant::kScramble && v != DeriveVariant::kPatch; }

std::vector<std::string> derive_levels(const DeriveOptions& o) {
  return o.levels.empty() ? info(o.variant).published_levels : o.levels;
}

double parse_level(DeriveVariant v, const std::string& level) {
  const auto bad = [&](const std::string& why) {
    return UsageError(str_cat("--levels: ", to_string(v), " takes ", why, ", got '", level, "'"));
  };
  if (v == DeriveVariant::kGreyscale) {
    if (level == "cr") return 0;
    if (level == "bw") return 1;
    throw bad("cr (colour) or bw (grey)");
  }
  if (v == DeriveVariant::kPowerEqualise) {
    if (level == "original") return 0;
    if (level == "equalised") return 1;
    throw bad("original (grey) or equalised");
  }
  if (v == DeriveVariant::kFalseColour) {
    if (level == "true") return 0;
    if (level == "opponent") return 1;
    throw bad("true (the colour crop) or opponent");
  }
  double x = 0;
  const bool number = parse_number(level, x);
  switch (v) {
    case DeriveVariant::kContrast:
      if (!number || x < 0 || x > 1) throw bad("a contrast fraction in [0, 1] (0.1 is 10 %)");
      return x;
    case DeriveVariant::kUniformNoise:
      if (!number || x < 0 || std::isinf(x)) throw bad("a noise width of 0 or more");
      return x;
    case DeriveVariant::kSaltAndPepper:
      if (!number || x < 0 || x > 1) throw bad("a fraction of pixels in [0, 1]");
      return x;
    case DeriveVariant::kLowPass:
      if (!number || x < 0 || std::isinf(x)) throw bad("a standard deviation of 0 or more");
      return x;
    case DeriveVariant::kHighPass:
      if (!number || x <= 0) throw bad("a positive standard deviation, or inf");
      return x;
    case DeriveVariant::kPhaseNoise:
      if (!number || x < 0 || x > 180) throw bad("a phase noise width in [0, 180] degrees");
      return x;
    case DeriveVariant::kRotation:
      if (!number || (x != 0 && x != 90 && x != 180 && x != 270)) throw bad("0, 90, 180 or 270 degrees");
      return x;
    default:
      throw bad("no levels");
  }
}

void validate(const DeriveOptions& o) {
  if (o.content_dir.empty()) throw UsageError("--content is required");
  if (!fs::is_directory(o.content_dir))
    throw UsageError(str_cat("--content ", o.content_dir.string(), ": no such folder"));
  if (o.out_dir.empty()) throw UsageError("--out is required");
  if (fs::exists(o.out_dir) && !fs::is_directory(o.out_dir))
    throw UsageError(str_cat("--out ", o.out_dir.string(), " exists and is not a folder"));
  std::error_code ec;
  const fs::path out = fs::weakly_canonical(o.out_dir, ec), content = fs::weakly_canonical(o.content_dir, ec);
  if (out.string().starts_with(content.string()) &&
      (out == content || out.string()[content.string().size()] == '/'))
    throw UsageError("--out must not lie inside --content (a rerun would read its own outputs)");
  if (o.extensions.empty()) throw UsageError("--extensions names no extension");
  if (o.content_size < 0) throw UsageError("--content-size must be 0 (keep) or positive");
  if (o.crop < kMinImageSide) throw UsageError(str_cat("--crop must be at least ", kMinImageSide));
  validate_encode_flags(o.output.encoding);
  if (!(o.progress_interval >= 0)) throw UsageError("--progress-interval must be 0 (none) or positive");
  check_thread_flag(o.threads);
  if (o.output.layout == OutputLayout::kWebDataset)
    validate_webdataset_flags(o.output.tar_size, o.output.tar_prefix);
  if (o.variant == DeriveVariant::kScramble) validate_scramble(o);
  if (o.variant == DeriveVariant::kPatch) validate_patch(o);
  if (!o.spectrum_file.empty() && o.variant != DeriveVariant::kPowerEqualise)
    throw UsageError("--spectrum is for --variant power-equalise");
  if (!o.spectrum_file.empty() && !fs::is_regular_file(o.spectrum_file))
    throw UsageError(str_cat("--spectrum ", o.spectrum_file.string(), ": no such file"));
  if (!o.gamma_table_file.empty() && o.variant != DeriveVariant::kFalseColour)
    throw UsageError("--gamma-table is for --variant false-colour");
  if (!o.gamma_table_file.empty() && !fs::is_regular_file(o.gamma_table_file))
    throw UsageError(str_cat("--gamma-table ", o.gamma_table_file.string(), ": no such file"));
  if (o.variant == DeriveVariant::kFalseColour && o.gamma_table_file.empty()) {
    const std::vector<std::string> levels = derive_levels(o);
    if (std::find(levels.begin(), levels.end(), "opponent") != levels.end())
      throw UsageError(
          "--variant false-colour needs --gamma-table FILE.npy, the monitor's gamma table (the published "
          "x_gamma_function.npy): sinforge does not ship that measurement");
  }
  if (o.variant == DeriveVariant::kPhaseNoise && o.crop % 2 != 0)
    throw UsageError("--variant phase-noise needs an even --crop: its spectrum is split around the DC term");
  if (is_manipulation(o.variant)) {
    const std::vector<std::string> levels = derive_levels(o);
    if (levels.empty()) throw UsageError("--levels names no level");
    for (const std::string& level : levels) parse_level(o.variant, level);
    check_unique(levels, "--levels");
  } else if (!o.levels.empty()) {
    throw UsageError(str_cat("--levels is for the manipulations; ", to_string(o.variant), " takes none"));
  }
}

nlohmann::json derive_settings(const DeriveOptions& o) {
  nlohmann::json s = {
      {"command", "derive"},
      {"variant", to_string(o.variant)},
      {"original", o.original},
      {"content_size", o.content_size},
      {"crop", o.crop},
      {"seed", o.seed},
      {"format", to_string(o.output.encoding.format)},
      {"quality", o.output.encoding.format == ImageFormat::kPng ? 0 : o.output.encoding.jpeg_quality},
      {"extensions", o.extensions}};
  if (o.variant == DeriveVariant::kScramble) {
    s["grids"] = o.grids;
    s["copies"] = o.copies;
    s["derange"] = o.derange;
  }
  if (o.variant == DeriveVariant::kPatch) s["patch_sizes"] = o.patch_sizes;
  if (is_manipulation(o.variant)) s["levels"] = derive_levels(o);
  // Another spectrum makes other images; the mean over --content is the contents' own (their list is
  // not recorded, as run records no content list either).
  if (o.variant == DeriveVariant::kPowerEqualise)
    s["spectrum"] = o.spectrum_file.empty() ? "mean of --content" : "sha256:" + sha256_hex(o.spectrum_file);
  if (!o.gamma_table_file.empty()) s["gamma_table"] = "sha256:" + sha256_hex(o.gamma_table_file);
  record_layout(o.output, s);
  return s;
}

}  // namespace sinforge
