#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include <opencv2/core.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/resize.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace fs = std::filesystem;
using sinforge::ResampleFilter;
using sinforge::testing::TempDir;

namespace {

struct Job {
  cv::Mat input;
  int out_w;
  int out_h;
  ResampleFilter filter;
  std::string label;
};

cv::Mat random_image(std::mt19937& rng, int w, int h) {
  cv::Mat img(h, w, CV_8UC3);
  // Half the images noise (extreme values, exercising the clip), half smooth-ish ramps.
  const bool noise = rng() % 2 == 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        img.at<cv::Vec3b>(y, x)[c] =
            noise ? static_cast<uint8_t>(rng())
                  : static_cast<uint8_t>((x * (c + 3) + y * (5 - c) + rng() % 9) % 256);
      }
    }
  }
  return img;
}

// Runs every job through Pillow (one interpreter) and through resize_pillow; all must agree byte for byte.
void expect_equal_to_pillow(const std::vector<Job>& jobs) {
  TempDir tmp;
  std::ofstream list(tmp / "jobs.txt");
  for (size_t i = 0; i < jobs.size(); ++i) {
    const fs::path in = tmp / ("in" + std::to_string(i) + ".png");
    sinforge::write_file_atomic(in, sinforge::encode_image(jobs[i].input, sinforge::ImageFormat::kPng));
    list << in.string() << ' ' << (tmp / ("out" + std::to_string(i) + ".png")).string() << ' '
         << jobs[i].out_w << ' ' << jobs[i].out_h << ' ' << to_string(jobs[i].filter) << '\n';
  }
  list.close();
  const auto r =
      sinforge::testing::run_reference("pillow_resize.py", sinforge::testing::quote(tmp / "jobs.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  int mismatches = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const Job& j = jobs[i];
    const cv::Mat pil = sinforge::read_image(tmp / ("out" + std::to_string(i) + ".png"));
    const cv::Mat ours = sinforge::resize_pillow(j.input, j.out_w, j.out_h, j.filter);
    ASSERT_EQ(ours.size(), pil.size()) << j.label;
    const double diff = cv::norm(ours, pil, cv::NORM_INF);
    EXPECT_EQ(diff, 0) << j.label << ": " << j.input.cols << "x" << j.input.rows << " -> " << j.out_w << "x"
                       << j.out_h << " " << to_string(j.filter);
    if (diff != 0) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace

TEST(ResizePillow, RandomSizesEqualPillow) {
  std::mt19937 rng(12345);
  std::vector<Job> jobs;
  const ResampleFilter filters[] = {ResampleFilter::kBilinear, ResampleFilter::kLanczos,
                                    ResampleFilter::kBox};
  // Fixed edge cases: 1-pixel images, one dimension only, big shrink factors, upscaling, identity.
  const int edge[][4] = {{1, 1, 5, 7},    {1, 1, 1, 1},      {7, 5, 1, 1},      {1, 9, 4, 9},
                         {9, 1, 9, 4},    {33, 20, 33, 7},   {33, 20, 5, 20},   {300, 200, 7, 5},
                         {8, 8, 64, 3},   {17, 13, 17, 13},  {2, 3, 3, 2},      {500, 3, 41, 3},
                         {3, 500, 3, 41}, {40, 300, 36, 20}, {10, 100, 30, 20}, {60, 61, 58, 56},
                         {60, 61, 58, 57}};
  for (const auto& e : edge) {
    for (ResampleFilter f : filters) {
      jobs.push_back({random_image(rng, e[0], e[1]), e[2], e[3], f, "edge"});
    }
  }
  std::uniform_int_distribution<int> size(1, 90);
  for (int i = 0; i < 45; ++i) {
    const int w = size(rng), h = size(rng);
    int ow = size(rng), oh = size(rng);
    if (i % 5 == 0) ow = w;  // height only
    if (i % 5 == 1) oh = h;  // width only
    jobs.push_back({random_image(rng, w, h), ow, oh, filters[i % 3], "random"});
  }
  expect_equal_to_pillow(jobs);
}

TEST(ResizePillow, SamplePhotosEqualPillow) {
  std::vector<Job> jobs;
  for (const char* name :
       {"content/astronaut.jpg", "content/chelsea.jpg", "content/camera.jpg", "styles/hubble.jpg"}) {
    const cv::Mat img = sinforge::read_image(sinforge::testing::samples_dir() / name);
    // The two recipes: Resize(256) with bilinear, the centred square shrunk to 224 with Lanczos.
    const auto [w, h] = sinforge::shorter_side_size(img.cols, img.rows, 256);
    jobs.push_back({img, w, h, ResampleFilter::kBilinear, name});
    jobs.push_back({sinforge::center_square(img), 224, 224, ResampleFilter::kLanczos, name});
    jobs.push_back({img, 100, 77, ResampleFilter::kBox, name});
    jobs.push_back({img, img.cols * 3 / 2, img.rows + 1, ResampleFilter::kLanczos, name});
  }
  expect_equal_to_pillow(jobs);
}

TEST(ResizePillow, SameSizeIsACopyAndBadArgumentsThrow) {
  cv::Mat img(5, 6, CV_8UC3, cv::Scalar(1, 2, 3));
  const cv::Mat same = sinforge::resize_pillow(img, 6, 5, ResampleFilter::kLanczos);
  EXPECT_EQ(cv::norm(img, same, cv::NORM_INF), 0);
  EXPECT_NE(same.data, img.data);
  EXPECT_THROW(sinforge::resize_pillow(img, 0, 5, ResampleFilter::kBox), std::invalid_argument);
  EXPECT_THROW(sinforge::resize_pillow(cv::Mat(), 3, 3, ResampleFilter::kBox), std::invalid_argument);
  EXPECT_THROW(sinforge::resize_pillow(cv::Mat(3, 3, CV_8UC1), 2, 2, ResampleFilter::kBox),
               std::invalid_argument);
}

TEST(ResizeGeometry, ShorterSideAndCropOffsetsMatchTorchvision) {
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> side(1, 5000);
  std::vector<std::array<int, 3>> sizes = {{500, 375, 256}, {375, 500, 256}, {300, 300, 256},
                                           {451, 300, 512}, {1, 1, 224},     {1, 4999, 7},
                                           {4999, 3, 256},  {640, 427, 256}};
  for (int i = 0; i < 2000; ++i) sizes.push_back({side(rng), side(rng), 1 + side(rng) % 1024});
  std::vector<std::array<int, 3>> crops;
  for (int i = 0; i < 300; ++i) {
    const int c = 1 + static_cast<int>(rng() % 300);
    crops.push_back({c + static_cast<int>(rng() % 200), c + static_cast<int>(rng() % 200), c});
  }
  TempDir tmp;
  {
    std::ofstream in(tmp / "in.txt");
    for (const auto& s : sizes) in << "size " << s[0] << ' ' << s[1] << ' ' << s[2] << '\n';
    for (const auto& c : crops) in << "crop " << c[0] << ' ' << c[1] << ' ' << c[2] << '\n';
  }
  const auto r = sinforge::testing::run_reference(
      "torchvision_geometry.py",
      sinforge::testing::quote(tmp / "in.txt") + " " + sinforge::testing::quote(tmp / "out.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream out(tmp / "out.txt");
  for (const auto& s : sizes) {
    int a = 0, b = 0;
    ASSERT_TRUE(out >> a >> b);
    EXPECT_EQ(sinforge::shorter_side_size(s[0], s[1], s[2]), std::make_pair(a, b))
        << s[0] << "x" << s[1] << " " << s[2];
  }
  for (const auto& c : crops) {
    int top = 0, left = 0;
    ASSERT_TRUE(out >> top >> left);
    // Mark the pixel that must land at the crop's origin.
    cv::Mat img(c[1], c[0], CV_8UC3, cv::Scalar::all(0));
    img.at<cv::Vec3b>(top, left) = cv::Vec3b(255, 1, 2);
    const cv::Mat crop = sinforge::center_crop(img, c[2]);
    ASSERT_EQ(crop.size(), cv::Size(c[2], c[2]));
    EXPECT_EQ(crop.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 1, 2)) << c[0] << "x" << c[1] << " crop " << c[2];
  }
}

TEST(ResizeGeometry, KnownValues) {
  EXPECT_EQ(sinforge::shorter_side_size(500, 375, 256), std::make_pair(341, 256));
  EXPECT_EQ(sinforge::shorter_side_size(375, 500, 256), std::make_pair(256, 341));
  EXPECT_EQ(sinforge::shorter_side_size(300, 300, 224), std::make_pair(224, 224));
  EXPECT_EQ(sinforge::shorter_side_size(451, 300, 0), std::make_pair(451, 300));
  EXPECT_THROW(sinforge::shorter_side_size(0, 3, 5), std::invalid_argument);
  EXPECT_THROW(sinforge::shorter_side_size(3, 3, -1), std::invalid_argument);

  // 341 - 224 = 117: round(58.5) = 58 (half to even); 451 - 300 = 151: round(75.5) = 76.
  cv::Mat img(256, 341, CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) img.at<cv::Vec3b>(y, x) = cv::Vec3b(x % 256, y % 256, x / 256);
  const cv::Mat crop = sinforge::center_crop(img, 224);
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 0), cv::Vec3b(58, 16, 0));
  cv::Mat wide(300, 451, CV_8UC3);
  for (int y = 0; y < wide.rows; ++y)
    for (int x = 0; x < wide.cols; ++x) wide.at<cv::Vec3b>(y, x) = cv::Vec3b(x % 256, y % 256, x / 256);
  const cv::Mat square = sinforge::center_square(wide);
  ASSERT_EQ(square.size(), cv::Size(300, 300));
  EXPECT_EQ(square.at<cv::Vec3b>(0, 0), cv::Vec3b(76, 0, 0));
  const cv::Mat tall = sinforge::center_square(wide.t());
  ASSERT_EQ(tall.size(), cv::Size(300, 300));
}

TEST(ResizeGeometry, CropLargerThanImagePadsWithZerosLikeTorchvision) {
  // 5 wide, 300 high, crop 8: pad left (8 - 5) // 2 = 1, right 2; top round((300 - 8) / 2) = 146.
  cv::Mat img(300, 5, CV_8UC3, cv::Scalar::all(0));
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) img.at<cv::Vec3b>(y, x) = cv::Vec3b(x + 1, y % 256, 7);
  const cv::Mat crop = sinforge::center_crop(img, 8);
  ASSERT_EQ(crop.size(), cv::Size(8, 8));
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 0));
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 1), cv::Vec3b(1, 146, 7));
  EXPECT_EQ(crop.at<cv::Vec3b>(3, 5), cv::Vec3b(5, 149, 7));
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 6), cv::Vec3b(0, 0, 0));
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 7), cv::Vec3b(0, 0, 0));
}
