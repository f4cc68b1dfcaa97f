#include "sinforge/recipe.h"

#include "sinforge/log.h"
#include "sinforge/resize.h"

namespace sinforge {
namespace {

cv::Mat resize_shorter_side(const cv::Mat& rgb, int target) {
  if (target <= 0) return rgb;
  const auto [w, h] = shorter_side_size(rgb.cols, rgb.rows, target);
  if (w == rgb.cols && h == rgb.rows) return rgb;
  return resize_pillow(rgb, w, h, ResampleFilter::kBilinear);
}

}  // namespace

cv::Mat prepare_content(const cv::Mat& rgb, const ContentRecipe& recipe) {
  cv::Mat out = resize_shorter_side(rgb, recipe.size);
  if (recipe.crop > 0) out = center_crop(out, recipe.crop);
  return out;
}

cv::Mat prepare_style(const cv::Mat& rgb, const StyleRecipe& recipe) {
  return resize_shorter_side(rgb, recipe.size);
}

std::string too_small_reason(const cv::Mat& rgb) {
  if (rgb.cols >= kMinImageSide && rgb.rows >= kMinImageSide) return {};
  return format("too small (", rgb.cols, "x", rgb.rows, " after preprocessing): the encoder needs at least ",
                kMinImageSide, " pixels on each side");
}

}  // namespace sinforge
