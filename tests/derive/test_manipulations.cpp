#include "sinforge/derive/manipulations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace sinforge {
namespace {

cv::Mat constant_grey(int side, double v) { return cv::Mat(side, side, CV_64FC1, cv::Scalar(v)); }

TEST(Manipulations, GreyUsesSkimagesWeightsAndRoundsHalfUp) {
  const cv::Mat rgb(1, 1, CV_8UC3, cv::Scalar(255, 0, 0));
  EXPECT_DOUBLE_EQ(grey_of(rgb).at<double>(0, 0), 0.2125);
  const cv::Mat g(1, 1, CV_8UC3, cv::Scalar(0, 255, 0));
  EXPECT_DOUBLE_EQ(grey_of(g).at<double>(0, 0), 0.7154);
  // 0.5 * 255 = 127.5 rounds up; the result is grey in three channels; outside [0, 1] clips.
  EXPECT_EQ(grey_to_rgb8(constant_grey(1, 0.5)).at<cv::Vec3b>(0, 0), cv::Vec3b(128, 128, 128));
  EXPECT_EQ(grey_to_rgb8(constant_grey(1, 1.7)).at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(grey_to_rgb8(constant_grey(1, -0.2)).at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 0));
}

TEST(Manipulations, ContrastScalesAroundMidGrey) {
  EXPECT_DOUBLE_EQ(with_contrast(constant_grey(1, 1.0), 0.1).at<double>(0, 0), 0.55);
  EXPECT_DOUBLE_EQ(with_contrast(constant_grey(1, 0.0), 0.1).at<double>(0, 0), 0.45);
  EXPECT_DOUBLE_EQ(with_contrast(constant_grey(1, 0.3), 1.0).at<double>(0, 0), 0.3);
}

TEST(Manipulations, UniformNoiseStaysWithinItsWidthAroundThe30PercentImage) {
  DrawStream d(0, "noise");
  const cv::Mat out = uniform_noise(constant_grey(64, 0.5), 0.1, d);
  double lo = 0, hi = 0;
  cv::minMaxLoc(out, &lo, &hi);
  EXPECT_GE(lo, 0.4);
  EXPECT_LT(hi, 0.6);
  EXPECT_NEAR(cv::mean(out)[0], 0.5, 0.01);
  DrawStream none(0, "noise");
  EXPECT_LT(cv::norm(uniform_noise(constant_grey(8, 1.0), 0.0, none), constant_grey(8, 0.65), cv::NORM_INF),
            1e-15);
}

TEST(Manipulations, SaltAndPepperSetsAboutAFractionPToBlackOrWhite) {
  DrawStream d(0, "sp");
  const cv::Mat out = salt_and_pepper(constant_grey(100, 0.5), 0.2, d);
  const int white = cv::countNonZero(out == 1.0), black = cv::countNonZero(out == 0.0);
  EXPECT_NEAR(white, 1000, 150);
  EXPECT_NEAR(black, 1000, 150);
  EXPECT_EQ(cv::countNonZero(out == 0.5), 10000 - white - black);
}

TEST(Manipulations, LowPassOfTheBackgroundGreyIsItselfAndSigmaZeroIsTheImage) {
  const cv::Mat bg = constant_grey(32, kBackgroundGrey);
  EXPECT_LT(cv::norm(low_pass(bg, 3), bg, cv::NORM_INF), 1e-12);
  cv::Mat ramp(8, 8, CV_64FC1);
  for (int i = 0; i < 64; ++i) ramp.at<double>(i / 8, i % 8) = i / 64.0;
  EXPECT_EQ(cv::norm(low_pass(ramp, 0), ramp, cv::NORM_INF), 0);
}

TEST(Manipulations, LowPassMatchesAHandComputedPixel) {
  // A single white pixel in black, sigma 1 (radius 4): the centre is w0 * w0, w0 = 1 / sum exp(-x^2/2).
  cv::Mat dot = constant_grey(21, 0.0);
  dot.at<double>(10, 10) = 1.0;
  double sum = 0;
  for (int x = -4; x <= 4; ++x) sum += std::exp(-0.5 * x * x);
  EXPECT_NEAR(low_pass(dot, 1).at<double>(10, 10), 1 / (sum * sum), 1e-12);
  // Near the edge the padding (0.4423) leaks in: a black image's corner turns grey-ish.
  EXPECT_GT(low_pass(constant_grey(21, 0.0), 3).at<double>(0, 0), 0.1);
}

TEST(Manipulations, HighPassHasTheBackgroundMeanAndInfinityKeepsTheDetail) {
  cv::Mat ramp(16, 16, CV_64FC1);
  for (int i = 0; i < 256; ++i) ramp.at<double>(i / 16, i % 16) = 0.3 + 0.2 * (i % 16) / 16.0;
  EXPECT_NEAR(cv::mean(high_pass(ramp, 3))[0], kBackgroundGrey, 1e-9);
  const cv::Mat inf = high_pass(ramp, std::numeric_limits<double>::infinity());
  EXPECT_NEAR(inf.at<double>(0, 0) - inf.at<double>(0, 15), ramp.at<double>(0, 0) - ramp.at<double>(0, 15),
              1e-12);
  EXPECT_NEAR(cv::mean(inf)[0], kBackgroundGrey, 1e-12);
}

// A low-contrast pattern, so that no pixel clips and the spectrum can be compared.
cv::Mat soft_pattern(int side) {
  cv::Mat m(side, side, CV_64FC1);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) m.at<double>(y, x) = 0.5 + 0.05 * std::sin(0.3 * x + 0.1 * y * y / side);
  return m;
}

cv::Mat amplitudes(const cv::Mat& grey) {
  cv::Mat spectrum, parts[2], amplitude;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  cv::split(spectrum, parts);
  cv::magnitude(parts[0], parts[1], amplitude);
  return amplitude;
}

TEST(Manipulations, PhaseNoiseOfWidthZeroIsTheImage) {
  DrawStream d(0, "phase");
  const cv::Mat m = soft_pattern(32);
  EXPECT_LT(cv::norm(phase_noise(m, 0, d), m, cv::NORM_INF), 1e-12);
}

TEST(Manipulations, PhaseNoiseKeepsTheAmplitudesAndTheMeanButMovesThePixels) {
  DrawStream d(0, "phase");
  const cv::Mat m = soft_pattern(32);
  const cv::Mat out = phase_noise(m, 90, d);
  EXPECT_GT(cv::norm(out, m, cv::NORM_INF), 0.01);
  EXPECT_NEAR(cv::mean(out)[0], cv::mean(m)[0], 1e-12);
  EXPECT_LT(cv::norm(amplitudes(out), amplitudes(m), cv::NORM_INF), 1e-9);
  EXPECT_THROW(phase_noise(cv::Mat(31, 31, CV_64FC1), 30, d), std::invalid_argument);
}

TEST(Manipulations, EqualisingToTheImagesOwnSpectrumGivesItBack) {
  const cv::Mat m = soft_pattern(24);
  EXPECT_LT(cv::norm(equalise_power(m, amplitude_spectrum(m)), m, cv::NORM_INF), 1e-12);
  // The centred spectrum: the DC term (the sum of the pixels) sits at (n/2, n/2).
  EXPECT_NEAR(amplitude_spectrum(m).at<double>(12, 12), cv::sum(m)[0], 1e-9);
}

TEST(Manipulations, EqualisingTakesTheGivenAmplitudesAndKeepsThePhases) {
  const cv::Mat a = soft_pattern(24);
  cv::Mat b = soft_pattern(24);
  cv::transpose(b, b);
  const cv::Mat target = amplitude_spectrum(b);
  const cv::Mat out = equalise_power(a, target);
  EXPECT_LT(cv::norm(amplitude_spectrum(out), target, cv::NORM_INF), 1e-9);
  EXPECT_GT(cv::norm(out, a, cv::NORM_INF), 1e-3);
  EXPECT_THROW(equalise_power(a, cv::Mat::zeros(23, 24, CV_64FC1)), std::invalid_argument);
}

std::vector<double> linear_table(double scale) {
  std::vector<double> t(256);
  for (int i = 0; i < 256; ++i) t[static_cast<size_t>(i)] = std::min(1.0, i / scale);
  return t;
}

TEST(Manipulations, FalseColourKeepsTheWhitePointAndNegatingTwiceComesBack) {
  // The white point is mid grey on the monitor: byte 100 through a table where it reads 0.5.
  const cv::Mat mid(2, 2, CV_8UC3, cv::Scalar(100, 100, 100));
  EXPECT_EQ(cv::norm(false_colour(mid, linear_table(200)), mid, cv::NORM_INF), 0);
  // Opponent colours: a reddish pixel turns greenish-blue, and back.
  const cv::Mat red(1, 1, CV_8UC3, cv::Scalar(150, 90, 80));
  const cv::Mat once = false_colour(red, linear_table(255)), twice = false_colour(once, linear_table(255));
  EXPECT_LT(once.at<cv::Vec3b>(0, 0)[0], once.at<cv::Vec3b>(0, 0)[1]);
  EXPECT_LE(cv::norm(twice, red, cv::NORM_INF), 2);
  EXPECT_THROW(false_colour(red, std::vector<double>(255)), std::invalid_argument);
}

// The rule as written: a scan for the smallest distance, the first index on a tie.
int scanned_nearest(const std::vector<double>& table, double v) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(table.size()); ++i)
    if (std::abs(table[static_cast<size_t>(i)] - v) < std::abs(table[static_cast<size_t>(best)] - v))
      best = i;
  return best;
}

TEST(Manipulations, TheNearestEntryIsTheOneAScanFindsOnAnyTable) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<double>> tables;
  tables.push_back(linear_table(255));  // rising, evenly spaced: exact ties midway between entries
  std::vector<double> gamma(256);
  for (int i = 0; i < 256; ++i) gamma[static_cast<size_t>(i)] = std::pow(i / 255.0, 2.2);
  tables.push_back(gamma);
  std::vector<double> shuffled = gamma;  // a measured table need not rise
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  tables.push_back(shuffled);
  std::vector<double> repeats(256);  // sixteen values, each sixteen times, in a random order
  for (int i = 0; i < 256; ++i) repeats[static_cast<size_t>(i)] = (i % 16) / 15.0;
  std::shuffle(repeats.begin(), repeats.end(), rng);
  tables.push_back(repeats);
  tables.push_back(linear_table(200));  // the top 56 entries all 1.0
  for (const std::vector<double>& table : tables) {
    const NearestEntry nearest(table);
    std::vector<double> probes = table;  // the entries themselves, the midpoints, the ends, random values
    for (size_t i = 0; i + 1 < table.size(); ++i) probes.push_back((table[i] + table[i + 1]) / 2);
    for (int i = 0; i < 20000; ++i) probes.push_back(unit(rng));
    probes.insert(probes.end(), {0.0, 1.0, -0.5, 1.5});
    for (const double v : probes) ASSERT_EQ(nearest(v), scanned_nearest(table, v)) << "v = " << v;
  }
}

TEST(Manipulations, FalseColourRefusesANonFiniteGammaEntry) {
  std::vector<double> table = linear_table(255);
  table[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(false_colour(cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3)), table), std::invalid_argument);
}

TEST(Manipulations, RotationIsCounterClockwiseAsNumpysRot90) {
  cv::Mat m = constant_grey(2, 0.0);
  m.at<double>(0, 1) = 1.0;                          // top right
  EXPECT_EQ(rotated(m, 90).at<double>(0, 0), 1.0);   // -> top left
  EXPECT_EQ(rotated(m, 180).at<double>(1, 0), 1.0);  // -> bottom left
  EXPECT_EQ(rotated(m, 270).at<double>(1, 1), 1.0);  // -> bottom right
  EXPECT_EQ(rotated(m, 0).at<double>(0, 1), 1.0);
  EXPECT_THROW(rotated(m, 45), std::invalid_argument);
}

}  // namespace
}  // namespace sinforge
