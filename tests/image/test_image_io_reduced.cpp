// Reduced-scale JPEG decoding of large paintings: the decoded size is the largest DCT reduction the recipe
// allows, the recipe's result stays close to the full decode's, and the pixel cap still applies first.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include <opencv2/imgproc.hpp>

#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

using Clock = std::chrono::steady_clock;

// A painting-like 6000x4000 JPEG: smooth colour fields with fine brush-scale texture.
std::vector<uint8_t> big_jpeg(int w, int h) {
  cv::Mat coarse(40, 60, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(coarse, cv::RNG::UNIFORM, 0, 256);
  cv::Mat image;
  cv::resize(coarse, image, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
  cv::Mat texture(h / 8, w / 8, CV_8UC3);
  rng.fill(texture, cv::RNG::NORMAL, 0, 24);
  cv::Mat fine;
  cv::resize(texture, fine, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  cv::add(image, fine, image);
  return encode_image(image, ImageFormat::kJpeg, 90);
}

// The same JPEG with another size written into its frame header (SOF0): a file claiming that many pixels.
std::vector<uint8_t> claim_size(std::vector<uint8_t> jpeg, int w, int h) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = static_cast<uint8_t>(h >> 8), jpeg[i + 6] = static_cast<uint8_t>(h);
      jpeg[i + 7] = static_cast<uint8_t>(w >> 8), jpeg[i + 8] = static_cast<uint8_t>(w);
      return jpeg;
    }
  }
  ADD_FAILURE() << "no SOF0";
  return jpeg;
}

TEST(ReducedDecode, ReductionIsTheLargestThatKeepsTheNeededSize) {
  EXPECT_EQ(jpeg_reduction(6000, 4000, 224), 8);  // 750x500
  EXPECT_EQ(jpeg_reduction(6000, 4000, 512), 4);  // 500 < 512 at 1/8
  EXPECT_EQ(jpeg_reduction(4000, 6000, 1000), 4);
  EXPECT_EQ(jpeg_reduction(4000, 6000, 1001), 2);
  EXPECT_EQ(jpeg_reduction(449, 1000, 224), 2);  // ceil(449 / 2) = 225
  EXPECT_EQ(jpeg_reduction(446, 1000, 224), 1);  // 223 at 1/2
  EXPECT_EQ(jpeg_reduction(6000, 4000, 0), 1) << "no resize: every pixel is used";
}

TEST(ReducedDecode, BigPaintingDecodesReducedAndCloseToTheFullDecode) {
  const std::vector<uint8_t> jpeg = big_jpeg(6000, 4000);
  const StyleRecipe sin224{224, StyleCrop::kSquare, ResampleFilter::kLanczos, 224};
  const auto t0 = Clock::now();
  const cv::Mat reduced = decode_image_reduced(jpeg, "big.jpg", style_decode_min_side(sin224));
  const auto t1 = Clock::now();
  const cv::Mat full = decode_image(jpeg, "big.jpg");
  const auto t2 = Clock::now();
  EXPECT_EQ(reduced.size(), cv::Size(750, 500)) << "decoded at 1/8 in the DCT domain";
  EXPECT_EQ(full.size(), cv::Size(6000, 4000));
  const cv::Mat a = prepare_style(reduced, sin224), b = prepare_style(full, sin224);
  const auto t3 = Clock::now();
  ASSERT_EQ(a.size(), cv::Size(224, 224));
  ASSERT_EQ(b.size(), cv::Size(224, 224));
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  double max_diff = 0;
  cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
  const double mean_diff = cv::mean(diff.reshape(1))[0];
  using ms = std::chrono::duration<double, std::milli>;
  std::cout << "6000x4000 JPEG: reduced decode " << ms(t1 - t0).count() << " ms (" << reduced.total() * 3
            << " bytes), full decode " << ms(t2 - t1).count() << " ms (" << full.total() * 3
            << " bytes); full-size Lanczos " << ms(t3 - t2).count() << " ms; sin224 result max |diff| "
            << max_diff << ", mean " << mean_diff << "\n";
  // Not bit-exact (libjpeg's scaled IDCT is a different low-pass than Lanczos on full pixels), but close.
  EXPECT_LE(max_diff, 8);     // measured: 2
  EXPECT_LE(mean_diff, 1.0);  // measured: 0.31
}

TEST(ReducedDecode, PngIsNotReducedAndOversizedFilesAreRefusedFromTheHeader) {
  const cv::Mat small(300, 500, CV_8UC3, cv::Scalar(1, 2, 3));
  EXPECT_EQ(decode_image_reduced(encode_image(small, ImageFormat::kPng), "a.png", 16).size(), small.size());
  // A 20000x12000 claim (240 MP, over PIL's cap) is refused from its header, before any pixel is allocated,
  // even though a 1/8 decode would be small.
  const std::vector<uint8_t> huge = claim_size(encode_image(small, ImageFormat::kJpeg), 20000, 12000);
  const std::string m = testing::error_of<DecodeError>([&] { decode_image_reduced(huge, "huge.jpg", 224); });
  EXPECT_NE(m.find("exceeds the limit"), std::string::npos) << m;
  EXPECT_NE(m.find("huge.jpg"), std::string::npos) << m;
  DecodeLimits tight;
  tight.max_pixels = 1000;
  EXPECT_THROW(decode_image_reduced(encode_image(small, ImageFormat::kJpeg), "x.jpg", 8, tight), DecodeError);
}

}  // namespace
}  // namespace sinforge
