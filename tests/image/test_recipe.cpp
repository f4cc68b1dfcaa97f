// The recipes: content resized by its shorter side then centre-cropped, paintings optionally squared then
// resized with their filter, results shrunk by area averaging; the size rules and the names of the options.
// Each step is checked against the resize functions it is built from (test_resize.cpp checks those against
// Pillow and torchvision).
#include "sinforge/image/recipe.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "sinforge/image/resize.h"

namespace sinforge {
namespace {

cv::Mat noise(int w, int h, int seed) {
  cv::Mat m(h, w, CV_8UC3);
  cv::theRNG().state = static_cast<uint64_t>(seed);
  cv::randu(m, 0, 256);
  return m;
}

bool same(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

TEST(Recipe, ContentIsResizedByItsShorterSideThenCropped) {
  const cv::Mat image = noise(500, 375, 1);
  const auto [w, h] = shorter_side_size(500, 375, 256);
  const cv::Mat resized = resize_pillow(image, w, h, ResampleFilter::kBilinear);
  EXPECT_TRUE(same(prepare_content(image, {256, 0, 0}), resized));
  EXPECT_TRUE(same(prepare_content(image, {256, 224, 0}), center_crop(resized, 224)));
  EXPECT_TRUE(same(prepare_content(image, {0, 0, 0}), image)) << "size 0 keeps the image";
  EXPECT_TRUE(same(prepare_content(image, {0, 100, 0}), center_crop(image, 100)));
}

TEST(Recipe, PaintingsAreSquaredThenResizedWithTheirFilter) {
  const cv::Mat painting = noise(300, 200, 2);
  for (const ResampleFilter f : {ResampleFilter::kBilinear, ResampleFilter::kLanczos, ResampleFilter::kBox}) {
    const auto [w, h] = shorter_side_size(300, 200, 64);
    EXPECT_TRUE(
        same(prepare_style(painting, {64, StyleCrop::kNone, f, 0}), resize_pillow(painting, w, h, f)));
    const cv::Mat square = prepare_style(painting, {64, StyleCrop::kSquare, f, 0});
    EXPECT_TRUE(same(square, resize_pillow(center_square(painting), 64, 64, f)));
  }
  EXPECT_TRUE(same(prepare_style(painting, {0, StyleCrop::kNone, ResampleFilter::kBilinear, 0}), painting));
}

TEST(Recipe, ResultsShrinkByAreaAveraging) {
  const cv::Mat result = noise(224, 224, 3);
  EXPECT_TRUE(same(finish_output(result, {0, 224, 64}), resize_pillow(result, 64, 64, ResampleFilter::kBox)));
  EXPECT_TRUE(same(finish_output(result, {0, 224, 0}), result)) << "output_size 0 keeps the result";
  EXPECT_TRUE(same(finish_output(result, {0, 224, 224}), result));
}

TEST(Recipe, SizeRules) {
  EXPECT_TRUE(too_small_reason(noise(kMinImageSide, kMinImageSide, 4)).empty());
  EXPECT_NE(too_small_reason(noise(kMinImageSide - 1, 40, 4)).find("at least 9 pixels"), std::string::npos);
  const StyleRecipe recipe{512, StyleCrop::kNone, ResampleFilter::kBilinear, 100};
  EXPECT_TRUE(below_min_size_reason(noise(100, 120, 5), recipe).empty());
  EXPECT_NE(below_min_size_reason(noise(99, 120, 5), recipe).find("under 100 pixels"), std::string::npos);
  EXPECT_EQ(style_decode_min_side(recipe), 512);
  EXPECT_EQ(style_decode_min_side({64, StyleCrop::kNone, ResampleFilter::kBilinear, 100}), 100);
  EXPECT_EQ(style_decode_min_side({0, StyleCrop::kNone, ResampleFilter::kBilinear, 100}), 0)
      << "no resize: every pixel is used";
}

TEST(Recipe, NamesRoundTrip) {
  for (const StyleCrop c : {StyleCrop::kNone, StyleCrop::kSquare}) {
    StyleCrop parsed = StyleCrop::kNone;
    ASSERT_TRUE(parse_style_crop(to_string(c), parsed));
    EXPECT_EQ(parsed, c);
  }
  for (const ResampleFilter f : {ResampleFilter::kBilinear, ResampleFilter::kLanczos, ResampleFilter::kBox}) {
    ResampleFilter parsed = ResampleFilter::kBilinear;
    ASSERT_TRUE(parse_resample_filter(to_string(f), parsed));
    EXPECT_EQ(parsed, f);
  }
  StyleCrop crop = StyleCrop::kNone;
  ResampleFilter filter = ResampleFilter::kBilinear;
  EXPECT_FALSE(parse_style_crop("circle", crop));
  EXPECT_FALSE(parse_resample_filter("bicubic", filter));
}

}  // namespace
}  // namespace sinforge
