#include "sinforge/derive/manipulations.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace sinforge {
namespace {

// Gaussian weights of scipy's gaussian_filter1d (truncate 4): radius floor(4 s + 0.5), sum 1.
std::vector<double> gaussian_weights(double sigma) {
  const int radius = static_cast<int>(4.0 * sigma + 0.5);
  std::vector<double> w(static_cast<size_t>(2 * radius + 1));
  double sum = 0;
  for (int x = -radius; x <= radius; ++x) {
    w[static_cast<size_t>(x + radius)] = std::exp(-0.5 * x * x / (sigma * sigma));
    sum += w[static_cast<size_t>(x + radius)];
  }
  for (double& v : w) v /= sum;
  return w;
}

// One pass of the separable filter along rows (vertical: dy = 1) or columns, the outside at cval.
cv::Mat filter_pass(const cv::Mat& in, const std::vector<double>& w, bool vertical, double cval) {
  const int radius = static_cast<int>(w.size() / 2);
  cv::Mat out(in.size(), CV_64FC1);
  for (int y = 0; y < in.rows; ++y) {
    for (int x = 0; x < in.cols; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k) {
        const int yy = vertical ? y + k : y, xx = vertical ? x : x + k;
        const bool inside = yy >= 0 && yy < in.rows && xx >= 0 && xx < in.cols;
        sum += w[static_cast<size_t>(k + radius)] * (inside ? in.at<double>(yy, xx) : cval);
      }
      out.at<double>(y, x) = sum;
    }
  }
  return out;
}

// fftshift of a spectrum of any size: the DC term to (rows / 2, cols / 2); inverse: ifftshift.
cv::Mat shifted(const cv::Mat& m, bool inverse) {
  cv::Mat out(m.size(), m.type());
  const int dy = inverse ? (m.rows + 1) / 2 : m.rows / 2, dx = inverse ? (m.cols + 1) / 2 : m.cols / 2;
  for (int y = 0; y < m.rows; ++y) {
    for (int x = 0; x < m.cols; ++x) {
      const int ty = (y + dy) % m.rows, tx = (x + dx) % m.cols;
      if (m.type() == CV_64FC2)
        out.at<cv::Vec2d>(ty, tx) = m.at<cv::Vec2d>(y, x);
      else
        out.at<double>(ty, tx) = m.at<double>(y, x);
    }
  }
  return out;
}

cv::Mat clipped(cv::Mat m) {
  cv::min(m, 1.0, m);
  cv::max(m, 0.0, m);
  return m;
}

}  // namespace

cv::Mat grey_of(const cv::Mat& rgb8) {
  if (rgb8.type() != CV_8UC3) throw std::invalid_argument("grey_of: an RGB8 image is needed");
  cv::Mat grey(rgb8.size(), CV_64FC1);
  for (int y = 0; y < rgb8.rows; ++y) {
    for (int x = 0; x < rgb8.cols; ++x) {
      const cv::Vec3b p = rgb8.at<cv::Vec3b>(y, x);
      grey.at<double>(y, x) = 0.2125 * (p[0] / 255.0) + 0.7154 * (p[1] / 255.0) + 0.0721 * (p[2] / 255.0);
    }
  }
  return grey;
}

cv::Mat grey_to_rgb8(const cv::Mat& grey) {
  cv::Mat out(grey.size(), CV_8UC3);
  for (int y = 0; y < grey.rows; ++y) {
    for (int x = 0; x < grey.cols; ++x) {
      const double v = std::min(1.0, std::max(0.0, grey.at<double>(y, x)));
      const auto byte = static_cast<uint8_t>(std::floor(v * 255.0 + 0.5));
      out.at<cv::Vec3b>(y, x) = cv::Vec3b(byte, byte, byte);
    }
  }
  return out;
}

cv::Mat with_contrast(const cv::Mat& grey, double c) {
  cv::Mat out = grey * c + (1.0 - c) / 2.0;
  return out;
}

cv::Mat uniform_noise(const cv::Mat& grey, double width, DrawStream& draws) {
  cv::Mat out = with_contrast(grey, kNoiseContrast);
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) out.at<double>(y, x) += -width + 2.0 * width * draws.uniform();
  }
  return clipped(out);
}

cv::Mat salt_and_pepper(const cv::Mat& grey, double p, DrawStream& draws) {
  cv::Mat out = with_contrast(grey, kNoiseContrast);
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) {
      const double u = draws.uniform();
      if (u >= 1.0 - p / 2.0) out.at<double>(y, x) = 1.0;
      if (u < p / 2.0) out.at<double>(y, x) = 0.0;
    }
  }
  return clipped(out);
}

cv::Mat low_pass(const cv::Mat& grey, double sigma) {
  if (sigma <= 0) return clipped(grey.clone());
  const std::vector<double> w = gaussian_weights(sigma);
  return clipped(filter_pass(filter_pass(grey, w, true, kBackgroundGrey), w, false, kBackgroundGrey));
}

cv::Mat high_pass(const cv::Mat& grey, double sigma) {
  cv::Mat detail;
  if (std::isinf(sigma)) {
    detail = grey - kBackgroundGrey;
  } else {
    const std::vector<double> w = gaussian_weights(sigma);
    detail = grey - filter_pass(filter_pass(grey, w, true, kBackgroundGrey), w, false, kBackgroundGrey);
  }
  const cv::Mat shifted = detail + (kBackgroundGrey - cv::mean(detail)[0]);
  return clipped(shifted);
}

cv::Mat phase_noise(const cv::Mat& grey, double width_degrees, DrawStream& draws) {
  const int n = grey.rows;
  if (grey.cols != n || n % 2 != 0)
    throw std::invalid_argument("phase_noise: an even square image is needed");
  cv::Mat spectrum;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  // Centred coordinates (y, x) in 1..n-1 stand for the frequencies y - n/2, x - n/2: the DFT's row and
  // column (y + n/2) mod n. Flat index i = (y - 1)(n - 1) + (x - 1) of L = (n - 1)^2; i and L - 1 - i are
  // conjugate partners, L / 2 (odd L) the DC term.
  const size_t length = static_cast<size_t>(n - 1) * static_cast<size_t>(n - 1);
  const auto at = [&](size_t i) -> cv::Vec2d& {
    const int y = static_cast<int>(i / static_cast<size_t>(n - 1)) + 1,
              x = static_cast<int>(i % static_cast<size_t>(n - 1)) + 1;
    return spectrum.at<cv::Vec2d>((y + n / 2) % n, (x + n / 2) % n);
  };
  const auto turn = [](cv::Vec2d& c, double angle) {
    const double re = c[0] * std::cos(angle) - c[1] * std::sin(angle);
    const double im = c[0] * std::sin(angle) + c[1] * std::cos(angle);
    c = cv::Vec2d(re, im);
  };
  for (size_t i = 0; i < length / 2; ++i) {
    const double shift = (2.0 * draws.uniform() - 1.0) * width_degrees * M_PI / 180.0;
    turn(at(i), shift);
    turn(at(length - 1 - i), -shift);
  }
  // The full complex inverse and its real part (DFT_REAL_OUTPUT would trust the symmetry instead).
  cv::Mat complex, parts[2];
  cv::dft(spectrum, complex, cv::DFT_INVERSE | cv::DFT_SCALE);
  cv::split(complex, parts);
  return clipped(parts[0]);
}

cv::Mat amplitude_spectrum(const cv::Mat& grey) {
  cv::Mat spectrum, parts[2], amplitude;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  cv::split(shifted(spectrum, false), parts);
  cv::magnitude(parts[0], parts[1], amplitude);
  return amplitude;
}

cv::Mat equalise_power(const cv::Mat& grey, const cv::Mat& mean_amplitude) {
  if (mean_amplitude.size() != grey.size() || mean_amplitude.type() != CV_64FC1)
    throw std::invalid_argument("equalise_power: the mean amplitude spectrum must have the image's size");
  cv::Mat spectrum;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  spectrum = shifted(spectrum, false);
  for (int y = 0; y < spectrum.rows; ++y) {
    for (int x = 0; x < spectrum.cols; ++x) {
      cv::Vec2d& c = spectrum.at<cv::Vec2d>(y, x);
      const double phase = std::atan2(c[1], c[0]), amplitude = mean_amplitude.at<double>(y, x);
      c = cv::Vec2d(amplitude * std::cos(phase), amplitude * std::sin(phase));
    }
  }
  cv::Mat complex, parts[2];
  cv::dft(shifted(spectrum, true), complex, cv::DFT_INVERSE | cv::DFT_SCALE);
  cv::split(complex, parts);
  return clipped(parts[0]);
}

namespace {

// RGB (monitor output) to cone activations (L, M, S), from the monitor's primaries and the 2-degree cone
// fundamentals; the white point's activations; cone contrasts to DKL (luminance, L-M, S): the published
// constants.
const cv::Matx33d kRgbToCones(0.1619982647, 0.208049264, 0.0389347448, 0.0330275785, 0.2496504557,
                              0.0618343518, 0.0015524055, 0.0198861001, 0.1890224274);
const cv::Vec3d kWhiteCones(0.20449114, 0.17225619, 0.10523047);
const cv::Matx33d kConesToDkl(9.27590805, 9.27590805, 0, 7.86421647, -9.33587662, 0, -3.39709047, -3.39709047,
                              12.16230246);

// The index of the entry nearest v (the first on a tie): a scan, since a measured table need not rise.
int nearest_entry(const std::vector<double>& table, double v) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(table.size()); ++i)
    if (std::abs(table[static_cast<size_t>(i)] - v) < std::abs(table[static_cast<size_t>(best)] - v))
      best = i;
  return best;
}

}  // namespace

cv::Mat false_colour(const cv::Mat& rgb8, const std::vector<double>& gamma_table) {
  if (rgb8.type() != CV_8UC3 || gamma_table.size() != 256)
    throw std::invalid_argument("false_colour: an RGB8 image and a gamma table of 256 entries are needed");
  const cv::Matx33d cones_to_rgb = kRgbToCones.inv(), dkl_to_cones = kConesToDkl.inv();
  cv::Mat out(rgb8.size(), CV_8UC3);
  for (int y = 0; y < rgb8.rows; ++y) {
    for (int x = 0; x < rgb8.cols; ++x) {
      const cv::Vec3b p = rgb8.at<cv::Vec3b>(y, x);
      const cv::Vec3d linear(gamma_table[p[0]], gamma_table[p[1]], gamma_table[p[2]]);
      cv::Vec3d dkl = kConesToDkl * (kRgbToCones * linear - kWhiteCones);
      dkl[1] = -dkl[1];  // L-M
      dkl[2] = -dkl[2];  // S
      const cv::Vec3d rgb = cones_to_rgb * (dkl_to_cones * dkl + kWhiteCones);
      cv::Vec3b& o = out.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c)
        o[c] = static_cast<uint8_t>(nearest_entry(gamma_table, std::min(1.0, std::max(0.0, rgb[c]))));
    }
  }
  return out;
}

cv::Mat rotated(const cv::Mat& grey, int degrees) {
  cv::Mat out;
  switch (degrees) {
    case 0:
      return grey.clone();
    case 90:
      cv::rotate(grey, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    case 180:
      cv::rotate(grey, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(grey, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    default:
      throw std::invalid_argument("rotated: 0, 90, 180 or 270 degrees");
  }
}

}  // namespace sinforge
