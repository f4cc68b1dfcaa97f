// The output writer: every queued image is written whole under its name, on_written runs once each after
// the file is complete, and a failed write is rethrown to the caller instead of lost.
#include "sinforge/output/output_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

cv::Mat pattern(int w, int h, int seed) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 7 + seed), uchar(y * 3), uchar(seed));
  return m;
}

TEST(OutputWriter, WritesEveryImageWholeAndCallsBackOnce) {
  TempDir tmp;
  std::atomic<int> callbacks{0};
  std::atomic<int> complete_when_called{0};
  {
    OutputWriter writer(3, {ImageFormat::kPng});
    for (int i = 0; i < 40; ++i) {
      const fs::path target = tmp / ("d" + std::to_string(i % 3)) / (std::to_string(i) + ".png");
      writer.write(target, pattern(17 + i, 9, i), [&, target, i] {
        ++callbacks;
        if (cv::norm(read_image(target), pattern(17 + i, 9, i), cv::NORM_INF) == 0) ++complete_when_called;
      });
    }
    writer.finish();
    EXPECT_EQ(writer.written(), 40u);
  }
  EXPECT_EQ(callbacks.load(), 40);
  EXPECT_EQ(complete_when_called.load(), 40) << "on_written sees the complete file under its final name";
  for (int i = 0; i < 40; ++i) {
    const fs::path target = tmp / ("d" + std::to_string(i % 3)) / (std::to_string(i) + ".png");
    EXPECT_EQ(cv::norm(read_image(target), pattern(17 + i, 9, i), cv::NORM_INF), 0) << target;
  }
}

TEST(OutputWriter, JpegUsesTheQualityGiven) {
  TempDir tmp;
  OutputWriter writer(1, {ImageFormat::kJpeg, 40});
  const cv::Mat image = pattern(64, 48, 5);
  writer.write(tmp / "a.jpg", image);
  writer.finish();
  EXPECT_EQ(testing::read_byte_vector(tmp / "a.jpg"), encode_image(image, ImageFormat::kJpeg, 40));
}

// --png-level reaches the encoder: the same pixels in fewer bytes at the top level than at libdeflate's
// fastest.
TEST(OutputWriter, PngUsesTheLevelGivenAndKeepsThePixels) {
  TempDir tmp;
  const cv::Mat image = pattern(96, 64, 3);
  for (const int level : {1, kMaxPngLevel}) {
    OutputWriter writer(1, {ImageFormat::kPng, 75, level});
    writer.write(tmp / (std::to_string(level) + ".png"), image);
    writer.finish();
  }
  const auto fast = testing::read_byte_vector(tmp / "1.png");
  const auto small = testing::read_byte_vector(tmp / (std::to_string(kMaxPngLevel) + ".png"));
  EXPECT_EQ(fast, encode_png(image, 1));
  EXPECT_EQ(small, encode_png(image, kMaxPngLevel));
  EXPECT_LT(small.size(), fast.size());
  EXPECT_EQ(cv::norm(read_image(tmp / "1.png"), image, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(read_image(tmp / (std::to_string(kMaxPngLevel) + ".png")), image, cv::NORM_INF), 0);
}

TEST(OutputWriter, EncodeFlagsOutOfRangeAreUsageErrorsNamingTheFlag) {
  for (const int level : {-1, kMaxPngLevel + 1}) {
    const std::string error = testing::error_of<UsageError>([&] {
      validate_encode_flags({ImageFormat::kPng, 75, level});
    });
    EXPECT_NE(error.find("--png-level must lie in [0, 12]"), std::string::npos) << level << ": " << error;
  }
  EXPECT_NE(testing::error_of<UsageError>([] {
              validate_encode_flags({ImageFormat::kJpeg, 0});
            }).find("--quality"),
            std::string::npos);
  EXPECT_NO_THROW(validate_encode_flags({ImageFormat::kPng, 100, kMaxPngLevel}));
}

TEST(OutputWriter, AFailedWriteIsRethrown) {
  TempDir tmp;
  testing::write_bytes(tmp / "file", std::string_view("x"));
  OutputWriter writer(2, {ImageFormat::kPng});
  writer.write(tmp / "file" / "a.png", pattern(8, 8, 1));  // a parent that is a file: cannot be made
  EXPECT_THROW(writer.finish(), std::runtime_error);
}

}  // namespace
}  // namespace sinforge
