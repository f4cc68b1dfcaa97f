#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <system_error>

#include <opencv2/core.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace fs = std::filesystem;
using sinforge::DecodeError;
using sinforge::DecodeLimits;
using sinforge::ImageFormat;
using sinforge::testing::TempDir;
using sinforge::testing::write_bytes;

namespace {

double max_abs_diff(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

double psnr(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  diff.convertTo(diff, CV_64F);
  const double mse = cv::mean(diff.mul(diff))[0];
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

fs::path sample(const std::string& rel) { return sinforge::testing::samples_dir() / rel; }

// The message must name the file and say why.
template <typename F>
void expect_decode_error(F&& f, const std::string& name, const std::string& reason) {
  const std::string msg = sinforge::testing::error_of<DecodeError>(f);
  ASSERT_FALSE(msg.empty()) << "no DecodeError for " << name;
  EXPECT_NE(msg.find(name), std::string::npos) << msg;
  EXPECT_NE(msg.find(reason), std::string::npos) << msg;
}

// The sampling factors of each component in a JPEG's first frame header, e.g. {0x22, 0x11, 0x11}.
std::vector<int> jpeg_sampling_factors(const std::vector<uint8_t>& b) {
  size_t pos = 2;
  while (pos + 4 <= b.size()) {
    const uint8_t marker = b[pos + 1];
    const size_t length = (size_t{b[pos + 2]} << 8) | b[pos + 3];
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
      std::vector<int> factors;
      const int components = b[pos + 9];
      for (int c = 0; c < components; ++c) factors.push_back(b[pos + 10 + 3 * c + 1]);
      return factors;
    }
    pos += 2 + length;
  }
  return {};
}

// The files of tests/reference/pillow_decode_cases.py, made once for the suite.
class ImageDecodeCases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setup_.run([] {
      dir_ = std::make_unique<TempDir>();
      const auto r =
          sinforge::testing::run_reference("pillow_decode_cases.py", sinforge::testing::quote(dir_->path()));
      sinforge::testing::SuiteSetup::require(r.exit_code == 0, r.output);
    });
  }
  void SetUp() override { setup_.check(); }
  static void TearDownTestSuite() { dir_.reset(); }

  static fs::path file(const std::string& name) { return dir_->path() / name; }
  // Our decode of the case next to PIL's convert('RGB') of it.
  static std::pair<cv::Mat, cv::Mat> decode_both(const std::string& name) {
    return {sinforge::read_image(file(name)), sinforge::read_image(file(name + ".expected.png"))};
  }

  static inline sinforge::testing::SuiteSetup setup_;
  static inline std::unique_ptr<TempDir> dir_;
};

}  // namespace

TEST_F(ImageDecodeCases, GrayscaleIsReplicatedLikePil) {
  for (const std::string name : {"gray.jpg", "gray.png"}) {
    const auto [ours, pil] = decode_both(name);
    ASSERT_EQ(ours.type(), CV_8UC3) << name;
    ASSERT_EQ(ours.size(), pil.size()) << name;
    EXPECT_EQ(max_abs_diff(ours, pil), 0) << name;
  }
}

TEST_F(ImageDecodeCases, AlphaIsDroppedNotComposited) {
  for (const std::string name : {"rgba.png", "la.png", "palette.png"}) {
    const auto [ours, pil] = decode_both(name);
    ASSERT_EQ(ours.size(), pil.size()) << name;
    EXPECT_EQ(max_abs_diff(ours, pil), 0) << name;
  }
}

TEST_F(ImageDecodeCases, PngUnderJpegNameDecodesByContent) {
  const auto [ours, pil] = decode_both("png_named.JPEG");
  ASSERT_EQ(ours.size(), cv::Size(37, 29));
  EXPECT_EQ(max_abs_diff(ours, pil), 0);
}

TEST_F(ImageDecodeCases, ExifOrientationIsIgnored) {
  const auto [ours, pil] = decode_both("exif_rotated.jpg");
  // Stored 64 wide, 32 high; orientation 6 would display it 32 x 64.
  ASSERT_EQ(ours.cols, 64);
  ASSERT_EQ(ours.rows, 32);
  EXPECT_EQ(max_abs_diff(ours, pil), 0);
}

TEST_F(ImageDecodeCases, ProgressiveJpegMatchesPil) {
  const auto [ours, pil] = decode_both("progressive.jpg");
  ASSERT_EQ(ours.size(), cv::Size(96, 72));
  EXPECT_EQ(max_abs_diff(ours, pil), 0);
}

TEST_F(ImageDecodeCases, SixteenBitPngReducedAsPil) {
  // RGB 16-bit: PIL keeps the high byte. Grayscale 16-bit: PIL's I;16 -> RGB saturates at 255.
  for (const std::string name : {"rgb16.png", "gray16.png"}) {
    const auto [ours, pil] = decode_both(name);
    ASSERT_EQ(ours.size(), pil.size()) << name;
    EXPECT_EQ(max_abs_diff(ours, pil), 0) << name;
  }
  const cv::Mat gray = sinforge::read_image(file("gray16.png"));
  // Row 0 starts 0, 1, 254, 255, 256, 65535: saturated, not scaled (scaling would give 0, 0, 0, 0, 1, 255).
  const uint8_t expected[6] = {0, 1, 254, 255, 255, 255};
  for (int x = 0; x < 6; ++x) EXPECT_EQ(gray.at<cv::Vec3b>(0, x)[0], expected[x]) << x;
}

TEST_F(ImageDecodeCases, CmykJpegCloseToPil) {
  const auto [ours, pil] = decode_both("cmyk.jpg");
  ASSERT_EQ(ours.size(), cv::Size(80, 56));
  // OpenCV converts inverted (Adobe) CMYK with k - ((255 - c) * k >> 8), PIL with a rounded division by
  // 255: the two differ by a level or two on some pixels, never more.
  const double diff = max_abs_diff(ours, pil);
  std::cout << "CMYK: max level difference to PIL " << diff << "\n";
  EXPECT_LE(diff, 2);
  cv::Mat d;
  cv::absdiff(ours, pil, d);
  const cv::Scalar mean = cv::mean(d);
  std::cout << "CMYK: mean level difference " << (mean[0] + mean[1] + mean[2]) / 3 << "\n";
  EXPECT_LT(mean[0] + mean[1] + mean[2], 3.0);
}

// A failure of the machine, not of the file, is no DecodeError (which would make a permanent skip): out of
// file descriptors, read_image throws std::system_error. Special files are refused without blocking.
TEST(ImageDecode, OutOfFileDescriptorsIsNoDecodeErrorAndAFifoIsRefusedUnread) {
  TempDir tmp;
  sinforge::write_file_atomic(
      tmp / "a.png",
      sinforge::encode_image(cv::Mat(10, 10, CV_8UC3, cv::Scalar(1, 2, 3)), ImageFormat::kPng));
  ASSERT_TRUE(sinforge::testing::make_fifo(tmp / "fifo.jpg"));
  {
    const sinforge::testing::NoFreeFileDescriptors no_fds;
    try {
      sinforge::read_image(tmp / "a.png");
      ADD_FAILURE() << "read_image opened a file without a free descriptor";
    } catch (const DecodeError& e) {
      ADD_FAILURE() << "a transient error became a decode error: " << e.what();
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code().value(), EMFILE) << e.what();
    }
  }
  EXPECT_EQ(sinforge::read_image(tmp / "a.png").cols, 10);
  const std::string fifo =
      sinforge::testing::error_of<DecodeError>([&] { sinforge::read_image(tmp / "fifo.jpg"); });
  EXPECT_NE(fifo.find("a FIFO"), std::string::npos) << "a FIFO was decoded: " << fifo;
  EXPECT_THROW(sinforge::read_image(tmp / "missing.png"), DecodeError)
      << "a file that is gone is its own defect";
}

// Found by fuzz/fuzz_image_decode: a PNG header of 4294967295 x 4294967295 made width * height overflow
// int64 (undefined behaviour; in practice a negative product that passed the pixel cap). The cap must
// refuse it as too large, from the header alone.
TEST(ImageDecode, AHeaderWhoseSizeOverflowsIsRefusedByThePixelCap) {
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) + std::string(15, '\xff') +
                          std::string("\xd8\xff\xe0\x00\x10JFIF\x00\x01\x9cND\xae\x42\x60\x82", 18);
  ASSERT_EQ(png.size(), 49u);
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(png.data()), png.size());
  for (const int min_side : {0, 16}) {
    try {
      sinforge::decode_image_reduced(bytes, "huge.png", min_side);
      ADD_FAILURE() << "decoded";
    } catch (const DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("exceeds the limit"), std::string::npos) << e.what();
    }
  }
}

// Found by fuzz/fuzz_image_decode: bytes of no format we read, with "DICM" at offset 128, went to OpenCV's
// DICOM decoder (GDCM), whose assert aborted the process: one crafted file in --content ended every run and
// every rerun. Only JPEG, PNG, BMP, TIFF, WebP and PNM reach OpenCV now; anything else is a DecodeError.
TEST(ImageDecode, BytesOfAFormatWeDoNotReadNeverReachOpenCv) {
  std::string dicom(128, '\0');
  dicom += "DICM";
  dicom += std::string("\x02\x00\x00\x00UL\x04\x00\xff\xff\xff\xff", 12);
  const std::string found =
      sinforge::testing::read_bytes(sinforge::testing::source_dir() / "fuzz" / "corpus" / "image_decode" /
                                    "regression_dicom_in_unknown_bytes.bin");
  ASSERT_EQ(found.size(), 138u);
  for (const std::string& data : {dicom, found}) {
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    try {
      sinforge::decode_image(bytes, "x.jpg");
      ADD_FAILURE() << "decoded";
    } catch (const DecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("not a readable image"), std::string::npos) << e.what();
    }
  }
}

TEST(ImageDecode, SamplePhotosDecode) {
  const cv::Mat astronaut = sinforge::read_image(sample("content/astronaut.jpg"));
  EXPECT_EQ(astronaut.type(), CV_8UC3);
  EXPECT_GT(astronaut.cols, 0);
  const cv::Mat camera = sinforge::read_image(sample("content/camera.jpg"));  // a grayscale JPEG
  ASSERT_EQ(camera.type(), CV_8UC3);
  std::vector<cv::Mat> ch;
  cv::split(camera, ch);
  EXPECT_EQ(cv::norm(ch[0], ch[1], cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(ch[0], ch[2], cv::NORM_INF), 0);
}

TEST(ImageDecode, RgbOrderNotBgr) {
  cv::Mat rgb(4, 4, CV_8UC3, cv::Scalar(200, 10, 30));  // R=200, G=10, B=30
  const auto png = sinforge::encode_image(rgb, ImageFormat::kPng);
  const cv::Mat back = sinforge::decode_image(png, "mem.png");
  EXPECT_EQ(back.at<cv::Vec3b>(1, 1), cv::Vec3b(200, 10, 30));
}

TEST(ImageDecode, EmptyTruncatedAndGarbageThrowNamingTheFile) {
  TempDir tmp;
  const auto jpeg = sinforge::testing::read_byte_vector(sample("content/chelsea.jpg"));
  ASSERT_GT(jpeg.size(), 1000u);

  write_bytes(tmp / "empty.JPEG", std::span<const uint8_t>{});
  expect_decode_error([&] { sinforge::read_image(tmp / "empty.JPEG"); }, "empty.JPEG", "empty");

  write_bytes(tmp / "half.JPEG", std::span(jpeg).first(jpeg.size() / 2));
  expect_decode_error([&] { sinforge::read_image(tmp / "half.JPEG"); }, "half.JPEG", "truncated");
  write_bytes(tmp / "head.JPEG", std::span(jpeg).first(40));
  expect_decode_error([&] { sinforge::read_image(tmp / "head.JPEG"); }, "head.JPEG", "truncated");

  const auto png =
      sinforge::encode_image(sinforge::read_image(sample("content/coffee.jpg")), ImageFormat::kPng);
  write_bytes(tmp / "half.png", std::span(png).first(png.size() / 2));
  expect_decode_error([&] { sinforge::read_image(tmp / "half.png"); }, "half.png", "PNG");
  write_bytes(tmp / "tiny.png", std::span(png).first(20));
  expect_decode_error([&] { sinforge::read_image(tmp / "tiny.png"); }, "tiny.png", "truncated");

  std::mt19937 rng(7);
  std::vector<uint8_t> garbage(5000);
  for (auto& b : garbage) b = static_cast<uint8_t>(rng());
  write_bytes(tmp / "garbage.jpg", garbage);
  expect_decode_error([&] { sinforge::read_image(tmp / "garbage.jpg"); }, "garbage.jpg",
                      "not a readable image");

  // A JPEG start followed by garbage.
  std::vector<uint8_t> bad_jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10};
  bad_jpeg.insert(bad_jpeg.end(), garbage.begin(), garbage.begin() + 100);
  expect_decode_error([&] { sinforge::decode_image(bad_jpeg, "bad.jpg"); }, "bad.jpg", "JPEG");

  expect_decode_error([&] { sinforge::read_image(tmp / "missing.jpg"); }, "missing.jpg", "cannot open");
}

TEST(ImageDecode, PixelCapCheckedFromTheHeader) {
  const auto jpeg = sinforge::testing::read_byte_vector(sample("content/chelsea.jpg"));  // 451 x 300
  EXPECT_NO_THROW(sinforge::decode_image(jpeg, "chelsea.jpg", DecodeLimits{451 * 300}));
  expect_decode_error([&] { sinforge::decode_image(jpeg, "chelsea.jpg", DecodeLimits{451 * 300 - 1}); },
                      "chelsea.jpg", "exceeds the limit");

  // A PNG header claiming 100000 x 100000 with almost no data: refused before anything is allocated.
  cv::Mat small(2, 2, CV_8UC3, cv::Scalar::all(9));
  auto png = sinforge::encode_image(small, ImageFormat::kPng);
  for (int at : {16, 20}) {
    png[at] = 0x00;
    png[at + 1] = 0x01;
    png[at + 2] = 0x86;
    png[at + 3] = 0xA0;  // 100000
  }
  expect_decode_error([&] { sinforge::decode_image(png, "bomb.png"); }, "bomb.png", "exceeds the limit");

  // The same for a JPEG whose frame header says 65535 x 65535.
  auto bomb = jpeg;
  for (size_t i = 2; i + 9 < bomb.size(); ++i) {
    if (bomb[i] == 0xFF && (bomb[i + 1] == 0xC0 || bomb[i + 1] == 0xC2)) {
      for (size_t k = i + 5; k < i + 9; ++k) bomb[k] = 0xFF;
      break;
    }
  }
  expect_decode_error([&] { sinforge::decode_image(bomb, "bomb.jpg"); }, "bomb.jpg", "exceeds the limit");
}

TEST(ImageEncode, JpegRoundTripAnd420Sampling) {
  const cv::Mat photo = sinforge::read_image(sample("content/astronaut.jpg"));
  const auto jpeg = sinforge::encode_image(photo, ImageFormat::kJpeg, 75);
  ASSERT_GT(jpeg.size(), 100u);
  const cv::Mat back = sinforge::decode_image(jpeg, "encoded.jpg");
  ASSERT_EQ(back.size(), photo.size());
  EXPECT_GT(psnr(photo, back), 30.0);
  EXPECT_EQ(jpeg_sampling_factors(jpeg), (std::vector<int>{0x22, 0x11, 0x11}));  // 4:2:0
  // Quality matters: 95 is larger and closer than 30.
  const auto q95 = sinforge::encode_image(photo, ImageFormat::kJpeg, 95);
  const auto q30 = sinforge::encode_image(photo, ImageFormat::kJpeg, 30);
  EXPECT_GT(q95.size(), q30.size());
  EXPECT_GT(psnr(photo, sinforge::decode_image(q95, "q95")), psnr(photo, sinforge::decode_image(q30, "q30")));
  EXPECT_THROW(sinforge::encode_image(photo, ImageFormat::kJpeg, 0), std::invalid_argument);
}

TEST(ImageEncode, PngRoundTripIsExact) {
  std::mt19937 rng(3);
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(37, 11), cv::Size(224, 224)}) {
    cv::Mat img(size, CV_8UC3);
    for (auto it = img.begin<cv::Vec3b>(); it != img.end<cv::Vec3b>(); ++it) {
      *it = cv::Vec3b(static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng()), static_cast<uint8_t>(rng()));
    }
    const auto png = sinforge::encode_image(img, ImageFormat::kPng);
    const cv::Mat back = sinforge::decode_image(png, "rt.png");
    ASSERT_EQ(back.size(), size);
    EXPECT_EQ(max_abs_diff(img, back), 0);
  }
  EXPECT_THROW(sinforge::encode_image(cv::Mat(2, 2, CV_8UC1), ImageFormat::kPng), std::invalid_argument);
}
