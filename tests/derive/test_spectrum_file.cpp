#include "sinforge/derive/spectrum_file.h"

#include <gtest/gtest.h>

#include "sinforge/core/error.h"
#include "support/files.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

TEST(SpectrumFile, WritesWhatItReadsBack) {
  testing::TempDir tmp;
  cv::Mat spectrum(3, 5, CV_64FC1);
  for (int i = 0; i < 15; ++i) spectrum.at<double>(i / 5, i % 5) = i * 0.25 - 1;
  write_spectrum_file(tmp / "s.npy", spectrum, "");
  const cv::Mat back = read_spectrum_file(tmp / "s.npy");
  EXPECT_EQ(back.size(), spectrum.size());
  EXPECT_EQ(cv::norm(back, spectrum, cv::NORM_INF), 0);
  // numpy's preamble: magic, version 1.0, a header padded so the data starts at a multiple of 64.
  const std::string bytes = testing::read_bytes(tmp / "s.npy");
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ((bytes.size() - 15 * 8) % 64, 0u);
}

TEST(SpectrumFile, AOneDimensionalArrayReadsAsOneRow) {
  testing::TempDir tmp;
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }\n";
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
  const double values[3] = {0.25, 0.5, 1.0};
  npy.append(reinterpret_cast<const char*>(values), sizeof values);
  testing::write_bytes(tmp / "gamma.npy", npy);
  const cv::Mat table = read_npy_array(tmp / "gamma.npy", "--gamma-table");
  ASSERT_EQ(table.size(), cv::Size(3, 1));
  EXPECT_EQ(table.at<double>(0, 2), 1.0);
}

TEST(SpectrumFile, RefusesWhatIsNoTwoDimensionalFloat64Array) {
  testing::TempDir tmp;
  testing::write_bytes(tmp / "text.npy", "not numpy");
  EXPECT_THROW(read_spectrum_file(tmp / "text.npy"), UsageError);
  const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n";
  std::string f4 = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
  f4 += std::string(16, '\0');
  testing::write_bytes(tmp / "f4.npy", f4);
  EXPECT_THROW(read_spectrum_file(tmp / "f4.npy"), UsageError);
  cv::Mat spectrum = cv::Mat::ones(4, 4, CV_64FC1);
  write_spectrum_file(tmp / "short.npy", spectrum, "");
  std::string cut = testing::read_bytes(tmp / "short.npy");
  cut.resize(cut.size() - 8);
  testing::write_bytes(tmp / "short.npy", cut);
  EXPECT_THROW(read_spectrum_file(tmp / "short.npy"), UsageError);
  EXPECT_THROW(read_spectrum_file(tmp / "missing.npy"), UsageError);
}

}  // namespace
}  // namespace sinforge
