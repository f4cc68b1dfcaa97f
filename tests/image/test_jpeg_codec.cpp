// The libjpeg codec against OpenCV's, which it replaced and which stands on the same libjpeg: every decode
// gives OpenCV's pixels (sample photos; colour, grayscale, progressive and restart-marker files; each DCT
// reduction; damaged entropy data), every encode OpenCV's bytes. What PIL makes of the same files is tested
// in test_image_io.cpp.
#include "sinforge/image/jpeg_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

// Smooth colour with some noise: what a photo gives a JPEG codec to do.
cv::Mat photo_like(int w, int h, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 6);
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        m.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uchar>(
            127.5 + 110 * std::sin(x / (9.0 + 4 * c) + y / (13.0 + c) + seed) + noise(rng));
  return m;
}

std::vector<uint8_t> opencv_jpeg(const cv::Mat& rgb, std::vector<int> params) {
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<uint8_t> out;
  EXPECT_TRUE(cv::imencode(".jpg", bgr, out, params));
  return out;
}

cv::Mat opencv_decode(const std::vector<uint8_t>& bytes, int flags) {
  cv::Mat bgr = cv::imdecode(bytes, flags | cv::IMREAD_IGNORE_ORIENTATION), rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return rgb;
}

void expect_same(const cv::Mat& a, const cv::Mat& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  ASSERT_EQ(a.type(), b.type()) << what;
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0) << what;
}

TEST(JpegCodec, SamplePhotosDecodeToOpenCvsPixelsAtEveryReduction) {
  const std::vector<std::pair<int, int>> reductions = {{1, cv::IMREAD_COLOR},
                                                       {2, cv::IMREAD_REDUCED_COLOR_2},
                                                       {4, cv::IMREAD_REDUCED_COLOR_4},
                                                       {8, cv::IMREAD_REDUCED_COLOR_8}};
  for (const char* name : {"astronaut.jpg", "camera.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg"}) {
    const std::vector<uint8_t> bytes = testing::read_byte_vector(testing::samples_dir() / "content" / name);
    for (const auto& [reduction, flag] : reductions) {
      const std::optional<cv::Mat> ours = decode_jpeg_rgb(bytes, reduction, name);
      ASSERT_TRUE(ours.has_value()) << name;
      expect_same(*ours, opencv_decode(bytes, flag),
                  std::string(name) + " at 1/" + std::to_string(reduction));
    }
  }
}

TEST(JpegCodec, ColourGrayscaleProgressiveAndRestartFilesDecodeToOpenCvsPixels) {
  const cv::Mat image = photo_like(97, 61, 3);  // odd sides: partial MCUs at both edges
  struct Case {
    const char* what;
    std::vector<uint8_t> bytes;
  };
  cv::Mat gray;
  cv::cvtColor(image, gray, cv::COLOR_RGB2GRAY);
  std::vector<uint8_t> gray_bytes;
  ASSERT_TRUE(cv::imencode(".jpg", gray, gray_bytes, {cv::IMWRITE_JPEG_QUALITY, 90}));
  const std::vector<Case> cases = {
      {"4:2:0 q75", opencv_jpeg(image, {cv::IMWRITE_JPEG_QUALITY, 75})},
      {"q95, chroma q60",
       opencv_jpeg(image, {cv::IMWRITE_JPEG_QUALITY, 95, cv::IMWRITE_JPEG_CHROMA_QUALITY, 60})},
      {"progressive", opencv_jpeg(image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1})},
      {"restart markers", opencv_jpeg(image, {cv::IMWRITE_JPEG_RST_INTERVAL, 2})},
      {"grayscale", gray_bytes},
  };
  for (const Case& c : cases) {
    const std::optional<cv::Mat> ours = decode_jpeg_rgb(c.bytes, 1, c.what);
    ASSERT_TRUE(ours.has_value()) << c.what;
    expect_same(*ours, opencv_decode(c.bytes, cv::IMREAD_COLOR), c.what);
    expect_same(decode_image(c.bytes, c.what), *ours, std::string("decode_image of ") + c.what);
  }
}

TEST(JpegCodec, DamagedEntropyDataKeepsWhatWasDecodedAsOpenCvDoes) {
  std::vector<uint8_t> bytes = opencv_jpeg(photo_like(128, 96, 5), {cv::IMWRITE_JPEG_QUALITY, 75});
  // Bytes in the middle of the scan set to a marker that does not belong there: libjpeg warns, resyncs and
  // fills, and the file still ends with its EOI.
  const size_t middle = bytes.size() / 2;
  bytes[middle] = 0xFF;
  bytes[middle + 1] = 0xD3;
  const std::optional<cv::Mat> ours = decode_jpeg_rgb(bytes, 1, "damaged");
  ASSERT_TRUE(ours.has_value());
  expect_same(*ours, opencv_decode(bytes, cv::IMREAD_COLOR), "damaged");
}

TEST(JpegCodec, AFatalErrorThrowsDecodeErrorWithLibjpegsReason) {
  std::vector<uint8_t> bytes = opencv_jpeg(photo_like(32, 32, 7), {cv::IMWRITE_JPEG_QUALITY, 75});
  // The first frame header's precision byte: libjpeg refuses a precision other than 8 bits.
  size_t sof = 2;
  while (!(bytes[sof] == 0xFF && bytes[sof + 1] == 0xC0)) sof += 2 + ((bytes[sof + 2] << 8) | bytes[sof + 3]);
  bytes[sof + 4] = 3;
  const std::string error =
      testing::error_of<DecodeError>([&] { (void)decode_jpeg_rgb(bytes, 1, "bad.jpg"); });
  EXPECT_NE(error.find("bad.jpg: corrupt JPEG (Unsupported JPEG data precision 3)"), std::string::npos)
      << error;
}

TEST(JpegCodec, EncodingGivesOpenCvsBytesAtEveryQuality) {
  for (const int quality : {1, 40, 75, 95, 100}) {
    for (const cv::Mat& image : {photo_like(224, 224, 11), photo_like(500, 375, 12), photo_like(1, 1, 13)}) {
      EXPECT_EQ(encode_jpeg(image, quality), opencv_jpeg(image, {cv::IMWRITE_JPEG_QUALITY, quality}))
          << image.cols << "x" << image.rows << " at quality " << quality;
    }
  }
}

TEST(JpegCodec, EncodingRefusesWhatItCannotWrite) {
  EXPECT_THROW(encode_jpeg(cv::Mat(4, 4, CV_8UC1, cv::Scalar(1)), 75), std::invalid_argument);
  EXPECT_THROW(encode_jpeg(photo_like(4, 4, 1), 0), std::invalid_argument);
  EXPECT_THROW(encode_jpeg(photo_like(4, 4, 1), 101), std::invalid_argument);
  // Wider than JPEG's 65,500: libjpeg's own refusal, as a runtime_error that says so.
  const cv::Mat wide(1, 65501, CV_8UC3, cv::Scalar(9, 9, 9));
  try {
    (void)encode_jpeg(wide, 75);
    ADD_FAILURE() << "a 65,501 pixel wide image was encoded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Maximum supported image dimension is 65500 pixels"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)decode_jpeg_rgb({}, 3, "x"), std::invalid_argument) << "reduction 3";
}

}  // namespace
}  // namespace sinforge
