#include "sinforge/image/recipe.h"

#include <algorithm>

#include "sinforge/core/log.h"

namespace sinforge {
namespace {

cv::Mat resize_shorter_side(const cv::Mat& rgb, int target, ResampleFilter filter) {
  if (target <= 0) return rgb;
  const auto [w, h] = shorter_side_size(rgb.cols, rgb.rows, target);
  if (w == rgb.cols && h == rgb.rows) return rgb;
  return resize_pillow(rgb, w, h, filter);
}

}  // namespace

cv::Mat prepare_content(const cv::Mat& rgb, const ContentRecipe& recipe) {
  cv::Mat out = resize_shorter_side(rgb, recipe.size, ResampleFilter::kBilinear);
  if (recipe.crop > 0) out = center_crop(out, recipe.crop);
  return out;
}

cv::Mat prepare_style(const cv::Mat& rgb, const StyleRecipe& recipe) {
  const cv::Mat cropped = recipe.crop == StyleCrop::kSquare ? center_square(rgb) : rgb;
  return resize_shorter_side(cropped, recipe.size, recipe.filter);
}

cv::Mat finish_output(const cv::Mat& rgb, const ContentRecipe& recipe) {
  if (recipe.output_size <= 0 || (rgb.cols == recipe.output_size && rgb.rows == recipe.output_size))
    return rgb;
  return resize_pillow(rgb, recipe.output_size, recipe.output_size, ResampleFilter::kBox);
}

int style_decode_min_side(const StyleRecipe& recipe) {
  // Without a resize every pixel is used; otherwise the shorter side (or the square) must keep at least the
  // target size, and a painting at min_size must still read as at least min_size.
  if (recipe.size <= 0) return 0;
  return std::max(recipe.size, recipe.min_size);
}

std::string below_min_size_reason(const cv::Mat& rgb, const StyleRecipe& recipe) {
  if (rgb.cols >= recipe.min_size && rgb.rows >= recipe.min_size) return {};
  return str_cat("too small for the recipe (", rgb.cols, "x", rgb.rows, "; paintings under ", recipe.min_size,
                 " pixels on a side are excluded)");
}

std::string too_small_reason(const cv::Mat& rgb) {
  if (rgb.cols >= kMinImageSide && rgb.rows >= kMinImageSide) return {};
  return str_cat("too small (", rgb.cols, "x", rgb.rows, " after preprocessing): the encoder needs at least ",
                 kMinImageSide, " pixels on each side");
}

std::string to_string(StyleCrop crop) { return crop == StyleCrop::kSquare ? "square" : "none"; }

std::string to_string(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::kBilinear:
      return "bilinear";
    case ResampleFilter::kLanczos:
      return "lanczos";
    case ResampleFilter::kBox:
      return "box";
  }
  return "?";
}

bool parse_style_crop(const std::string& name, StyleCrop& out) {
  if (name == "none")
    out = StyleCrop::kNone;
  else if (name == "square")
    out = StyleCrop::kSquare;
  else
    return false;
  return true;
}

bool parse_resample_filter(const std::string& name, ResampleFilter& out) {
  if (name == "bilinear")
    out = ResampleFilter::kBilinear;
  else if (name == "lanczos")
    out = ResampleFilter::kLanczos;
  else if (name == "box")
    out = ResampleFilter::kBox;
  else
    return false;
  return true;
}

}  // namespace sinforge
