// How content images and paintings are prepared before the network, and how a result is finished after it:
// the recipe of a dataset. The presets in configs/ (preset.h) are named sets of these values.
#pragma once

#include <string>

#include <opencv2/core.hpp>

#include "sinforge/image/resize.h"

namespace sinforge {

inline constexpr int kMinImageSide = 9;  // below this the encoder's reflection padding has nothing to reflect

struct ContentRecipe {
  int size = 0;  // shorter side (torchvision Resize(int), Pillow bilinear); 0 keeps the size
  int crop = 0;  // centre crop after resizing; 0: none
  // After stylization, shrink the square result to output_size x output_size by area averaging (Pillow BOX):
  // the 64x64 SIN. 0 keeps the network's output size.
  int output_size = 0;
  bool operator==(const ContentRecipe&) const = default;
};

enum class StyleCrop { kNone, kSquare };

struct StyleRecipe {
  // Shorter side after resizing (0 keeps the size). With the square crop the square is resized to
  // size x size, which is the same rule applied to a square.
  int size = 512;
  StyleCrop crop = StyleCrop::kNone;  // kSquare: the centred square of side min(w, h), before resizing
  ResampleFilter filter = ResampleFilter::kBilinear;
  int min_size = 0;  // paintings under this on a side (as stored, before any resizing) are excluded
  bool operator==(const StyleRecipe&) const = default;
};

cv::Mat prepare_content(const cv::Mat& rgb, const ContentRecipe& recipe);
cv::Mat prepare_style(const cv::Mat& rgb, const StyleRecipe& recipe);

// The content side's last step, on the 8-bit result (a GPU pipeline would do it on the device instead).
cv::Mat finish_output(const cv::Mat& rgb, const ContentRecipe& recipe);

// The smallest decoded size from which prepare_style's result can still be computed: a painting may be
// decoded at reduced scale as long as it stays at least this large on both sides. 0: full size needed.
int style_decode_min_side(const StyleRecipe& recipe);

// Empty when the painting (as decoded) is large enough for the recipe's min_size, else why not.
std::string below_min_size_reason(const cv::Mat& rgb, const StyleRecipe& recipe);

// Empty when the image can pass the encoder, else why not.
std::string too_small_reason(const cv::Mat& rgb);

// Names as the flags and presets spell them: "none"/"square", "bilinear"/"lanczos"/"box". The parsers
// return false on an unknown name.
std::string to_string(StyleCrop crop);
std::string to_string(ResampleFilter filter);
bool parse_style_crop(const std::string& name, StyleCrop& out);
bool parse_resample_filter(const std::string& name, ResampleFilter& out);

}  // namespace sinforge
