// model-vs-human's parametric image manipulations (Geirhos et al. 2018, "Generalisation in humans and deep
// neural networks"), each a pure function of the crop, its level and, for the noises, a draw stream
// (draws.h). docs/REFERENCE.md ("derive") states every rule in our words.
//
// The images are doubles in [0, 1]. All but the colour condition work on the grey image: skimage's
// rgb2gray weights (0.2125 R + 0.7154 G + 0.0721 B) on the 8-bit values / 255, and leave grey (written as
// three equal channels). The result is clipped to [0, 1] and rounded to 8 bits as scipy's toimage did:
// floor(255 x + 0.5).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "sinforge/derive/draws.h"

namespace sinforge {

// The mean grey that the filters pad with and high-pass shifts to: the published code's constant, the mean
// pixel value over its image set.
inline constexpr double kBackgroundGrey = 0.4423;
// The contrast that the noise manipulations start from.
inline constexpr double kNoiseContrast = 0.3;

cv::Mat grey_of(const cv::Mat& rgb8);       // CV_64FC1 in [0, 1]
cv::Mat grey_to_rgb8(const cv::Mat& grey);  // clipped, rounded, three equal channels

// (1 - c) / 2 + c * grey: contrast c in [0, 1] around mid grey.
cv::Mat with_contrast(const cv::Mat& grey, double c);
// Grey at contrast 0.3, plus U[-w, w) per pixel (row-major, one draw each: -w + 2 w u), clipped.
cv::Mat uniform_noise(const cv::Mat& grey, double width, DrawStream& draws);
// Grey at contrast 0.3; per pixel a draw u: 1 where u >= 1 - p / 2, 0 where u < p / 2, else unchanged.
cv::Mat salt_and_pepper(const cv::Mat& grey, double p, DrawStream& draws);
// scipy.ndimage.gaussian_filter(grey, s, mode="constant", cval=0.4423): a separable Gaussian of standard
// deviation s, radius floor(4 s + 0.5), weights normalised to sum 1, pixels beyond the edge 0.4423;
// vertically (axis 0) first, then horizontally. s = 0 returns the image.
cv::Mat low_pass(const cv::Mat& grey, double sigma);
// grey - low_pass(grey, s), shifted by 0.4423 - its mean. s = inf: the low-pass is 0.4423 everywhere (the
// rule's limit), so the result is the grey image moved to mean 0.4423.
cv::Mat high_pass(const cv::Mat& grey, double sigma);
// Phase noise of width w degrees: the grey image's centred 2-D spectrum (fftshift of the DFT) keeps its
// amplitudes; of its (n-1) x (n-1) part without the first row and column (for an even side n, the part
// symmetric around the DC term), the first half in row-major order gets phase + s_i, its mirror images
// (the conjugate partners: flat index L - 1 - i) phase - s_i, the DC term stays; s_i = (2 u_i - 1) w pi /
// 180, one draw each. The inverse DFT's real part, clipped. Requires an even square image.
cv::Mat phase_noise(const cv::Mat& grey, double width_degrees, DrawStream& draws);

// The amplitudes of the grey image's centred spectrum, |fftshift(fft2(grey))| (CV_64FC1, the same size): what
// power equalisation averages over the input set.
cv::Mat amplitude_spectrum(const cv::Mat& grey);
// Power equalisation: the centred spectrum's amplitudes replaced by mean_amplitude (centred, the grey image's
// size), its phases kept; the inverse's real part, clipped.
cv::Mat equalise_power(const cv::Mat& grey, const cv::Mat& mean_amplitude);

// False colour (the colour crop, not grey): each byte through the monitor's gamma table (256 measured
// outputs in [0, 1]), to cone activations by M, less the white point's, to DKL opponent channels by N; the
// L-M and S channels negated; back by N^-1 (plus the white point) and M^-1; clipped to [0, 1]; each value
// then the index of the nearest gamma table entry (the first on a tie): the output byte. M, N and the white
// point are the published code's (docs/REFERENCE.md). Throws std::invalid_argument on a non-finite entry.
cv::Mat false_colour(const cv::Mat& rgb8, const std::vector<double>& gamma_table);

// The index of the table entry nearest v (the first on a tie), as a scan of the table finds it: a measured
// gamma table need not rise. False colour's last step, three a pixel: a scan cost 768 comparisons a pixel,
// so most values in [0, 1] are answered by a table of cells, the rest (beside a decision point) by a binary
// search. The table must be non-empty and finite.
class NearestEntry {
 public:
  explicit NearestEntry(const std::vector<double>& table);
  int operator()(double v) const;

 private:
  struct Entry {
    double value;
    int index;
  };
  static constexpr size_t kCells = 16384;  // of [0, 1]
  static constexpr double kMargin = 1e-9;  // around each cell, clear of decision points
  void fill_cells();
  int searched(double v) const;
  std::vector<Entry> sorted_;
  std::vector<int> cells_;  // the answer for any value in the cell; -1: search
};

// The grey image turned counter-clockwise by degrees (0, 90, 180 or 270), as numpy's rot90.
cv::Mat rotated(const cv::Mat& grey, int degrees);

}  // namespace sinforge
