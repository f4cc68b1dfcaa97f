#include "sinforge/derive/derive_plan.h"

#include <set>

#include "sinforge/core/log.h"
#include "sinforge/derive/draws.h"
#include "sinforge/derive/manipulations.h"
#include "sinforge/derive/patch.h"
#include "sinforge/derive/scramble.h"
#include "sinforge/plan/pairing.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// The names a content's outputs would take, for the clash check: the thesis variants' names all start with
// "<stem>_", so a stem stands for all of them; a manipulation's folders all hold "<stem><ext>".
std::string name_key(const fs::path& relative, const std::string& stem, const std::string& extension) {
  return (relative.parent_path() / (stem + extension)).generic_string();
}

std::vector<DerivedOutput> scramble_outputs(const DerivedContent& c, const DeriveOptions& o) {
  std::vector<DerivedOutput> outs;
  const fs::path dir = c.relative.parent_path();
  for (const int grid : o.grids) {
    for (int copy = 0; copy < o.copies; ++copy) {
      DerivedOutput d;
      d.kind = DerivedOutput::Kind::kScramble;
      d.grid = grid;
      d.order = block_order(o.seed, c.relative.generic_string(), grid, copy, o.derange);
      d.output = dir / str_cat(c.stem, "_", o.crop / grid, "_", copy, c.extension);
      d.derivation = str_cat("scramble grid=", grid, " copy=", copy, " order=", order_text(d.order));
      outs.push_back(std::move(d));
    }
  }
  return outs;
}

std::vector<DerivedOutput> patch_outputs(const DerivedContent& c, const DeriveOptions& o) {
  std::vector<DerivedOutput> outs;
  const fs::path dir = c.relative.parent_path();
  for (const int p : o.patch_sizes) {
    const std::vector<cv::Rect> squares = patch_squares(o.crop, p);
    for (size_t i = 0; i <= squares.size(); ++i) {
      DerivedOutput d;
      d.kind = DerivedOutput::Kind::kPatch;
      d.output = dir / str_cat(c.stem, "_", p, "_", i, c.extension);
      if (i < squares.size()) {
        d.squares = {squares[i]};
        d.derivation = str_cat("patch size=", p, " square=", i, " of ", squares.size());
      } else {
        d.squares = squares;
        d.derivation = str_cat("patch size=", p, " all ", squares.size());
      }
      outs.push_back(std::move(d));
    }
  }
  return outs;
}

std::vector<DerivedOutput> manipulation_outputs(const DerivedContent& c, const DeriveOptions& o) {
  std::vector<DerivedOutput> outs;
  const fs::path name = c.relative.parent_path() / (c.stem + c.extension);
  for (const std::string& level : derive_levels(o)) {
    DerivedOutput d;
    d.kind = DerivedOutput::Kind::kManipulation;
    d.level = level;
    d.value = parse_level(o.variant, level);
    d.output = fs::path(to_string(o.variant) + "-" + level) / name;
    d.derivation = to_string(o.variant) + " " + level;
    outs.push_back(std::move(d));
  }
  return outs;
}

cv::Mat manipulated(const cv::Mat& crop, const DerivedOutput& d, const DeriveOptions& o,
                    const std::string& relative, const DeriveData& data) {
  if (o.variant == DeriveVariant::kGreyscale && d.value == 0) return crop.clone();  // "cr": the colour crop
  if (o.variant == DeriveVariant::kFalseColour)  // in colour: "true" is the crop itself
    return d.value == 0 ? crop.clone() : false_colour(crop, data.gamma_table);
  const cv::Mat grey = grey_of(crop);
  DrawStream draws(o.seed, draw_key(relative, to_string(o.variant), d.level, 0));
  switch (o.variant) {
    case DeriveVariant::kGreyscale:
      return grey_to_rgb8(grey);
    case DeriveVariant::kContrast:
      return grey_to_rgb8(with_contrast(grey, d.value));
    case DeriveVariant::kUniformNoise:
      return grey_to_rgb8(uniform_noise(grey, d.value, draws));
    case DeriveVariant::kSaltAndPepper:
      return grey_to_rgb8(salt_and_pepper(grey, d.value, draws));
    case DeriveVariant::kLowPass:
      return grey_to_rgb8(low_pass(grey, d.value));
    case DeriveVariant::kHighPass:
      return grey_to_rgb8(high_pass(grey, d.value));
    case DeriveVariant::kPowerEqualise:
      return grey_to_rgb8(d.value == 0 ? grey : equalise_power(grey, data.mean_amplitude));
    case DeriveVariant::kPhaseNoise:
      return grey_to_rgb8(phase_noise(grey, d.value, draws));
    case DeriveVariant::kRotation:
      return grey_to_rgb8(rotated(grey, static_cast<int>(d.value)));
    default:
      throw std::logic_error("not a manipulation: " + to_string(o.variant));
  }
}

}  // namespace

std::vector<DerivedContent> plan_derived(const std::vector<fs::path>& contents, const DeriveOptions& o) {
  const bool png = o.output.encoding.format == ImageFormat::kPng;
  std::vector<DerivedContent> planned;
  planned.reserve(contents.size());
  std::set<std::string> taken;
  for (const fs::path& rel : contents) {
    const fs::path usual = output_relative_path(rel, png, nullptr);
    DerivedContent c{rel, usual.stem().string(), usual.extension().string()};
    if (taken.count(name_key(rel, c.stem, c.extension)) != 0) c.stem = rel.filename().string();
    for (int n = 2; taken.count(name_key(rel, c.stem, c.extension)) != 0; ++n)
      c.stem = str_cat(rel.filename().string(), "-", n);
    taken.insert(name_key(rel, c.stem, c.extension));
    planned.push_back(std::move(c));
  }
  return planned;
}

std::vector<DerivedOutput> derived_outputs(const DerivedContent& c, const DeriveOptions& o) {
  std::vector<DerivedOutput> outs;
  if (o.variant == DeriveVariant::kScramble) outs = scramble_outputs(c, o);
  if (o.variant == DeriveVariant::kPatch) outs = patch_outputs(c, o);
  if (is_manipulation(o.variant)) outs = manipulation_outputs(c, o);
  if (o.original) {
    DerivedOutput d;
    d.derivation = "original";
    d.output = is_manipulation(o.variant)
                   ? fs::path("original") / c.relative.parent_path() / (c.stem + c.extension)
                   : c.relative.parent_path() / (c.stem + "_original" + c.extension);
    outs.push_back(std::move(d));
  }
  return outs;
}

cv::Mat make_derived(const cv::Mat& crop, const DerivedOutput& d, const DeriveOptions& o,
                     const std::string& relative, const DeriveData& data) {
  switch (d.kind) {
    case DerivedOutput::Kind::kOriginal:
      return crop;
    case DerivedOutput::Kind::kScramble:
      return scramble_blocks(crop, d.grid, d.order);
    case DerivedOutput::Kind::kPatch:
      return black_squares(crop, d.squares);
    case DerivedOutput::Kind::kManipulation:
      return manipulated(crop, d, o, relative, data);
  }
  return crop;
}

}  // namespace sinforge
