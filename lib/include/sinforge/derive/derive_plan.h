// The plan of `sinforge derive`: for every content image, its derived outputs, their names and how each is
// made, decided before a pixel is decoded and the same in every shard and rerun (the draws are functions of
// the seed and the image's relative path, draws.h).
//
// Names (ext: the content's own JPEG extension when JPEG is written, else .jpg or .png, as `run` names):
//   scramble      <rel dir>/<stem>_<block px>_<copy><ext>, copies from 0, grids in the order given
//   patch         <rel dir>/<stem>_<P>_<i><ext>: i from 0 per single square in row-major order, and i = the
//                 count of singles for the image with all of them
//   --original    <rel dir>/<stem>_original<ext> beside those; <variant>-<level> folders' sibling
//                 original/<rel dir>/<stem><ext> for the manipulations
//   manipulation  <variant>-<level as given>/<rel dir>/<stem><ext>: one ImageFolder per condition
// Two contents that would share a name (a.jpg and a.png written as PNG): the later in scan order uses its
// whole file name as the stem (a.png_28_0.png).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "sinforge/derive/derive_options.h"

namespace sinforge {

struct DerivedContent {
  std::filesystem::path relative;  // relative to --content
  std::string stem;                // the names' stem: the file's stem, or its whole name on a clash
  std::string extension;           // of every output: ".png", ".jpg" or the content's own JPEG extension
};

// One output of a content image and what makes it.
struct DerivedOutput {
  std::filesystem::path output;  // relative to --out
  // The manifest's derivation column: "scramble grid=8 copy=0 order=3 1 ...", "patch size=10 square=4 of
  // 121", "patch size=10 all 121", "contrast 0.1", "original".
  std::string derivation;
  enum class Kind { kOriginal, kScramble, kPatch, kManipulation } kind = Kind::kOriginal;
  int grid = 0;                   // scramble
  std::vector<int> order;         // scramble: the block order (scramble.h)
  std::vector<cv::Rect> squares;  // patch: the black squares
  std::string level;              // manipulation: as given
  double value = 0;               // manipulation: the level in the rule's unit (parse_level)
};

// The contents in scan order with their names' stems (clash-free over the whole list, so every shard names
// alike).
std::vector<DerivedContent> plan_derived(const std::vector<std::filesystem::path>& contents,
                                         const DeriveOptions& options);

// The outputs of one content, in the order above.
std::vector<DerivedOutput> derived_outputs(const DerivedContent& content, const DeriveOptions& options);

// What some manipulations need beside the crop, read or computed once per run (derive_run.cpp).
struct DeriveData {
  cv::Mat mean_amplitude;           // power-equalise: the mean amplitude spectrum (manipulations.h)
  std::vector<double> gamma_table;  // false-colour: the monitor's 256 outputs
};

// The output image: the crop (RGB8, crop x crop) transformed as out says. seed and relative key the
// noises' draws (draws.h: draw_key(relative, variant, level, 0)).
cv::Mat make_derived(const cv::Mat& crop, const DerivedOutput& out, const DeriveOptions& options,
                     const std::string& relative, const DeriveData& data = {});

}  // namespace sinforge
