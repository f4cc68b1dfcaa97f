#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>

#include <ATen/ATen.h>
#include <opencv2/core.hpp>

#include "sinforge/image/image_io.h"
#include "sinforge/image/tensor_image.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace fs = std::filesystem;
using sinforge::testing::TempDir;

namespace {

template <typename T>
void write_raw(const fs::path& p, const std::vector<T>& v) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
}

template <typename T>
std::vector<T> read_raw(const fs::path& p, size_t n) {
  std::vector<T> v(n);
  std::ifstream in(p, std::ios::binary);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
  EXPECT_TRUE(in.good()) << p;
  return v;
}

// Values where x * 255 + 0.5 lands on or next to an integer, plus the far outside.
std::vector<float> tricky_values() {
  std::vector<float> v;
  for (int k = -2; k <= 258; ++k) {
    const float boundary = (static_cast<float>(k) - 0.5f) / 255.0f;
    const float exact = static_cast<float>(k) / 255.0f;
    for (float x : {boundary, exact}) {
      v.push_back(x);
      v.push_back(std::nextafter(x, 2.0f));
      v.push_back(std::nextafter(x, -2.0f));
    }
  }
  for (float x : {0.0f, -0.0f, 1.0f, -1.0f, 2.0f, 1e30f, -1e30f, std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min(),
                  0.5f / 255.0f, 254.5f / 255.0f, 1.0f + 1e-7f}) {
    v.push_back(x);
  }
  return v;
}

}  // namespace

TEST(TensorImage, ToTensorShapeLayoutAndValuesMatchTorchvision) {
  // One image holding every byte value, in each channel at different places.
  cv::Mat a(16, 16, CV_8UC3), b(16, 16, CV_8UC3);
  for (int i = 0; i < 256; ++i) {
    a.at<cv::Vec3b>(i / 16, i % 16) = cv::Vec3b(i, 255 - i, (i * 7) % 256);
    b.at<cv::Vec3b>(i / 16, i % 16) = cv::Vec3b((i * 3) % 256, i, 0);
  }
  const at::Tensor t = sinforge::images_to_tensor({a, b});
  ASSERT_EQ(t.sizes(), (std::vector<int64_t>{2, 3, 16, 16}));
  EXPECT_EQ(t.scalar_type(), at::kFloat);
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_TRUE(t.device().is_cpu());
  // R of image 0 at (y=2, x=5) is byte 37; G of image 1 there is 37 too; B of image 1 is 0.
  EXPECT_EQ(t[0][0][2][5].item<float>(), t[1][1][2][5].item<float>());
  EXPECT_EQ(t[1][2][2][5].item<float>(), 0.0f);

  // Bit for bit against torch's uint8 -> float().div(255).
  TempDir tmp;
  std::vector<uint8_t> bytes(256);
  for (int i = 0; i < 256; ++i) bytes[i] = static_cast<uint8_t>(i);
  write_raw(tmp / "in.u8", bytes);
  const auto r = sinforge::testing::run_reference(
      "save_image_rule.py", "to_float " + sinforge::testing::quote(tmp / "in.u8") + " " +
                                sinforge::testing::quote(tmp / "out.f32"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto expected = read_raw<float>(tmp / "out.f32", 256);
  const at::Tensor red = t[0][0].flatten();
  for (int i = 0; i < 256; ++i) {
    const float ours = red[i].item<float>();
    EXPECT_EQ(std::memcmp(&ours, &expected[i], sizeof(float)), 0)
        << i << ": " << ours << " vs " << expected[i];
  }
}

// Every byte value in every channel, at an odd size: the upload path (bytes, then the conversion on the
// device) must give what images_to_tensor gives, bit for bit.
std::vector<cv::Mat> every_byte_images() {
  std::vector<cv::Mat> images;
  for (int k = 0; k < 3; ++k) {
    cv::Mat m(17, 31, CV_8UC3);
    for (int i = 0; i < static_cast<int>(m.total()) * 3; ++i)
      m.data[i] = static_cast<uint8_t>((i * 7 + k * 85) % 256);
    images.push_back(m);
  }
  return images;
}

TEST(TensorImage, BytesThenConversionEqualImagesToTensor) {
  const std::vector<cv::Mat> images = every_byte_images();
  const at::Tensor bytes = sinforge::images_to_rgb8(images);
  EXPECT_EQ(bytes.sizes(), (at::IntArrayRef{3, 17, 31, 3}));
  EXPECT_EQ(bytes.scalar_type(), at::kByte);
  EXPECT_EQ(std::memcmp(bytes[1].data_ptr(), images[1].data, images[1].total() * 3), 0);
  const at::Tensor converted = sinforge::rgb8_to_tensor(bytes);
  EXPECT_TRUE(converted.is_contiguous());
  EXPECT_TRUE(converted.equal(sinforge::images_to_tensor(images)));
  EXPECT_THROW(sinforge::rgb8_to_tensor(at::zeros({1, 4, 4, 3})), std::invalid_argument);  // not uint8
  EXPECT_THROW(sinforge::images_to_rgb8({}), std::invalid_argument);
}

TEST(TensorImage, BytesConvertedOnTheGpuEqualImagesToTensor) {
  if (!(at::hasCUDA() && at::globalContext().hasCUDA())) GTEST_SKIP() << "no CUDA device";
  const std::vector<cv::Mat> images = every_byte_images();
  const at::Tensor on_gpu =
      sinforge::rgb8_to_tensor(sinforge::images_to_rgb8(images, true).to(at::kCUDA, true));
  EXPECT_TRUE(on_gpu.is_cuda());
  EXPECT_TRUE(on_gpu.cpu().equal(sinforge::images_to_tensor(images)));
}

TEST(TensorImage, ToTensorRejectsMixedSizesAndBadImages) {
  const cv::Mat a(4, 5, CV_8UC3, cv::Scalar::all(1));
  const cv::Mat b(5, 4, CV_8UC3, cv::Scalar::all(1));
  EXPECT_THROW(sinforge::images_to_tensor({a, b}), std::invalid_argument);
  EXPECT_THROW(sinforge::images_to_tensor({}), std::invalid_argument);
  EXPECT_THROW(sinforge::images_to_tensor({cv::Mat(4, 5, CV_8UC1)}), std::invalid_argument);
}

TEST(TensorImage, ToUint8MatchesSaveImageRule) {
  std::vector<float> values = tricky_values();
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.5f, 0.6f);
  const int n = 2, h = 13, w = 17;
  const size_t total = static_cast<size_t>(n) * 3 * h * w;
  while (values.size() < total) values.push_back(normal(rng));
  values.resize(total);
  std::shuffle(values.begin(), values.end(), rng);

  TempDir tmp;
  write_raw(tmp / "in.f32", values);
  const auto r = sinforge::testing::run_reference(
      "save_image_rule.py", "to_uint8 " + sinforge::testing::quote(tmp / "in.f32") + " " +
                                sinforge::testing::quote(tmp / "out.u8"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto expected = read_raw<uint8_t>(tmp / "out.u8", total);

  const at::Tensor t = at::from_blob(values.data(), {n, 3, h, w}, at::kFloat).clone();
  // The whole tensor, then a top-left region (as when the network's output is larger than the input).
  for (const auto& [ow, oh] : {std::pair{w, h}, std::pair{11, 8}}) {
    const auto images = sinforge::tensor_to_images(t, ow, oh);
    ASSERT_EQ(images.size(), static_cast<size_t>(n));
    int mismatches = 0;
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(images[i].size(), cv::Size(ow, oh));
      for (int c = 0; c < 3; ++c)
        for (int y = 0; y < oh; ++y)
          for (int x = 0; x < ow; ++x) {
            const size_t idx = ((static_cast<size_t>(i) * 3 + c) * h + y) * w + x;
            const uint8_t ours = images[i].at<cv::Vec3b>(y, x)[c];
            if (ours != expected[idx]) {
              ++mismatches;
              ADD_FAILURE() << "x=" << values[idx] << " ours " << int{ours} << " torch "
                            << int{expected[idx]};
            }
          }
    }
    EXPECT_EQ(mismatches, 0);
  }
}

TEST(TensorImage, NaNBecomesZeroAndHalfPrecisionIsWidenedFirst) {
  at::Tensor t = at::full({1, 3, 2, 2}, 0.5f);
  t[0][1][1][0] = std::numeric_limits<float>::quiet_NaN();
  const auto img = sinforge::tensor_to_images(t, 2, 2)[0];
  EXPECT_EQ(img.at<cv::Vec3b>(1, 0), cv::Vec3b(128, 0, 128));

  const at::Tensor f = at::rand({2, 3, 9, 7}, at::TensorOptions().dtype(at::kFloat)) * 1.4 - 0.2;
  for (const auto dtype : {at::kHalf, at::kBFloat16}) {
    const at::Tensor low = f.to(dtype);
    const auto ours = sinforge::tensor_to_images(low, 7, 9);
    const auto widened = sinforge::tensor_to_images(low.to(at::kFloat), 7, 9);
    for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(cv::norm(ours[i], widened[i], cv::NORM_INF), 0);
  }
  EXPECT_THROW(sinforge::tensor_to_images(at::zeros({1, 3, 4, 4}, at::kDouble), 4, 4), std::invalid_argument);
  EXPECT_THROW(sinforge::tensor_to_images(at::zeros({1, 1, 4, 4}), 4, 4), std::invalid_argument);
  EXPECT_THROW(sinforge::tensor_to_images(at::zeros({1, 3, 4, 4}), 5, 4), std::invalid_argument);
}

TEST(TensorImage, RoundTripIsExact) {
  cv::Mat every(16, 16, CV_8UC3);
  for (int i = 0; i < 256; ++i) every.at<cv::Vec3b>(i / 16, i % 16) = cv::Vec3b(i, 255 - i, (i * 5) % 256);
  const cv::Mat photo = sinforge::read_image(sinforge::testing::samples_dir() / "content" / "chelsea.jpg");
  for (const cv::Mat& img : {every, photo}) {
    const auto back = sinforge::tensor_to_images(sinforge::images_to_tensor({img, img}), img.cols, img.rows);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(cv::norm(img, back[1], cv::NORM_INF), 0);
  }
}

TEST(TensorImage, CudaTensorsAreAccepted) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA device";
  const at::Tensor t = at::rand({1, 3, 8, 8});
  const auto cpu = sinforge::tensor_to_images(t, 8, 8);
  const auto gpu = sinforge::tensor_to_images(t.to(at::kCUDA).to(at::kHalf), 8, 8);
  const auto cpu_half = sinforge::tensor_to_images(t.to(at::kHalf), 8, 8);
  EXPECT_EQ(cv::norm(gpu[0], cpu_half[0], cv::NORM_INF), 0);
  EXPECT_LE(cv::norm(gpu[0], cpu[0], cv::NORM_INF), 1);
}
