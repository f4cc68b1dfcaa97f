// The PNG writer (png_encoder.h): what any decoder reads back is the image, at every level and shape.
#include "sinforge/image/png_encoder.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "sinforge/image/image_io.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

cv::Mat random_rgb(int rows, int cols, uint32_t seed) {
  cv::Mat m(rows, cols, CV_8UC3);
  std::mt19937 rng(seed);
  for (auto it = m.begin<cv::Vec3b>(); it != m.end<cv::Vec3b>(); ++it)
    *it = cv::Vec3b(static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng()));
  return m;
}

// A photograph-like image: smooth gradients with a little noise (what the filters are for).
cv::Mat smooth_rgb(int rows, int cols) {
  cv::Mat m(rows, cols, CV_8UC3);
  std::mt19937 rng(3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uint8_t>(x + rng() % 3), static_cast<uint8_t>(y * 2),
                                        static_cast<uint8_t>((x + y) / 2));
  return m;
}

cv::Mat decoded_rgb(const std::vector<uint8_t>& png) {
  const cv::Mat bgr = cv::imdecode(png, cv::IMREAD_UNCHANGED);
  if (bgr.empty() || bgr.type() != CV_8UC3) return cv::Mat();
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

TEST(PngEncoder, LibpngReadsBackEveryPixelAtEveryLevelAndShape) {
  const std::vector<cv::Size> shapes = {{1, 1}, {1, 9}, {9, 1}, {7, 5}, {224, 224}, {333, 17}};
  uint32_t seed = 1;
  for (const cv::Size& shape : shapes) {
    for (const cv::Mat& image :
         {random_rgb(shape.height, shape.width, seed++), smooth_rgb(shape.height, shape.width)}) {
      for (int level = kMinPngLevel; level <= kMaxPngLevel; ++level) {
        const cv::Mat back = decoded_rgb(encode_png(image, level));
        ASSERT_FALSE(back.empty()) << shape << " level " << level;
        EXPECT_EQ(cv::norm(back, image, cv::NORM_INF), 0) << shape << " level " << level;
      }
    }
  }
}

TEST(PngEncoder, AViewIntoALargerImageIsWrittenAsItsOwnPixels) {
  const cv::Mat whole = random_rgb(40, 50, 9);
  const cv::Mat view = whole(cv::Rect(3, 5, 20, 30));  // rows not contiguous
  ASSERT_FALSE(view.isContinuous());
  EXPECT_EQ(cv::norm(decoded_rgb(encode_png(view)), view, cv::NORM_INF), 0);
}

TEST(PngEncoder, TheHeaderSaysEightBitTruecolourOfTheImagesSize) {
  const std::vector<uint8_t> png = encode_png(random_rgb(300, 258, 4));
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(std::vector<uint8_t>(png.begin(), png.begin() + 8),
            (std::vector<uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}));
  EXPECT_EQ(std::string(png.begin() + 12, png.begin() + 16), "IHDR");
  EXPECT_EQ((png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], 258);  // width
  EXPECT_EQ((png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23], 300);  // height
  EXPECT_EQ(png[24], 8);                                                         // bits per sample
  EXPECT_EQ(png[25], 2);                                                         // truecolour
  EXPECT_EQ(std::string(png.end() - 8, png.end() - 4), "IEND");
}

TEST(PngEncoder, HigherLevelsWriteNoMoreBytesOnASmoothImage) {
  const cv::Mat image = smooth_rgb(224, 224);
  const size_t fastest = encode_png(image, 1).size(), smallest = encode_png(image, kMaxPngLevel).size();
  EXPECT_LE(smallest, fastest);
  EXPECT_LT(fastest, image.total() * 3 / 2);  // it compresses at all
}

// Level 0's literal coding against libdeflate's fastest matching on photographs, cut as sin224 cuts them: the
// bytes stay near (its header promises "about as many bytes"; the figures are in docs/PERFORMANCE.md).
TEST(PngEncoder, LevelZeroWritesAboutAsFewBytesAsLevelOneOnPhotographs) {
  for (const char* name : {"astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg"}) {
    const cv::Mat photo = read_image(testing::samples_dir() / "content" / name);
    const cv::Mat crop = photo(cv::Rect((photo.cols - 224) / 2, (photo.rows - 224) / 2, 224, 224));
    const double level0 = static_cast<double>(encode_png(crop, 0).size());
    const double level1 = static_cast<double>(encode_png(crop, 1).size());
    EXPECT_LT(level0, 1.15 * level1) << name << ": " << level0 << " against " << level1;
    EXPECT_LT(level0, 0.75 * 224 * 224 * 3) << name;
  }
}

TEST(PngEncoder, ACorruptedByteIsCaughtByTheDecodersChecksum) {
  std::vector<uint8_t> png = encode_png(smooth_rgb(32, 32));
  png[png.size() / 2] ^= 0x40;  // inside IDAT: its CRC (or the zlib Adler-32) no longer matches
  EXPECT_TRUE(decoded_rgb(png).empty() || cv::norm(decoded_rgb(png), smooth_rgb(32, 32), cv::NORM_INF) > 0);
}

TEST(PngEncoder, EncodeImageWritesPngThroughIt) {
  const cv::Mat image = random_rgb(16, 24, 5);
  EXPECT_EQ(encode_image(image, ImageFormat::kPng), encode_png(image, kDefaultPngLevel));
}

TEST(PngEncoder, RefusesWhatItCannotWrite) {
  EXPECT_THROW(encode_png(cv::Mat()), std::invalid_argument);
  EXPECT_THROW(encode_png(cv::Mat(4, 4, CV_8UC1, cv::Scalar(1))), std::invalid_argument);
  EXPECT_THROW(encode_png(cv::Mat(4, 4, CV_16UC3, cv::Scalar(1))), std::invalid_argument);
  EXPECT_THROW(encode_png(random_rgb(4, 4, 1), kMinPngLevel - 1), std::invalid_argument);
  EXPECT_THROW(encode_png(random_rgb(4, 4, 1), kMaxPngLevel + 1), std::invalid_argument);
}

}  // namespace
}  // namespace sinforge
