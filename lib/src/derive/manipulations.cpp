#include "sinforge/derive/manipulations.h"

#include <algorithm>
#include <cmath>
#include <limits>
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

// The filter along axis 0 (each output row from the rows around it), the pixels beyond the edge at cval:
// the taps inside the image are summed row by row (the inner loop runs along a row, so it vectorises),
// those outside add cval times their weights at once. Axis 1 is this pass on the transposed image.
cv::Mat filter_rows(const cv::Mat& in, const std::vector<double>& w, double cval) {
  const int radius = static_cast<int>(w.size() / 2), rows = in.rows, cols = in.cols;
  std::vector<double> prefix(w.size() + 1, 0.0);  // prefix[i]: the sum of w[0 .. i - 1]
  for (size_t i = 0; i < w.size(); ++i) prefix[i + 1] = prefix[i] + w[i];
  cv::Mat out(in.size(), CV_64FC1);
  for (int y = 0; y < rows; ++y) {
    const int first = std::max(-radius, -y), last = std::min(radius, rows - 1 - y);
    const double outside = prefix[static_cast<size_t>(first + radius)] +
                           (prefix[w.size()] - prefix[static_cast<size_t>(last + radius + 1)]);
    double* o = out.ptr<double>(y);
    std::fill(o, o + cols, cval * outside);
    for (int k = first; k <= last; ++k) {
      const double* row = in.ptr<double>(y + k);
      const double weight = w[static_cast<size_t>(k + radius)];
      for (int x = 0; x < cols; ++x) o[x] += weight * row[x];
    }
  }
  return out;
}

// scipy's gaussian_filter in constant mode: axis 0, then axis 1.
cv::Mat gaussian_filter(const cv::Mat& grey, double sigma, double cval) {
  const std::vector<double> w = gaussian_weights(sigma);
  const cv::Mat vertical = filter_rows(grey, w, cval);
  return filter_rows(vertical.t(), w, cval).t();
}

// fftshift of an amplitude spectrum of any size: the DC term to (rows / 2, cols / 2).
cv::Mat fftshift(const cv::Mat& m) {
  cv::Mat out(m.size(), m.type());
  for (int y = 0; y < m.rows; ++y) {
    for (int x = 0; x < m.cols; ++x)
      out.at<double>((y + m.rows / 2) % m.rows, (x + m.cols / 2) % m.cols) = m.at<double>(y, x);
  }
  return out;
}

// The real part of the inverse DFT of a full complex spectrum (CV_64FC2), as the published code takes it.
// That is the inverse of the spectrum's Hermitian part, (X(k) + conj X(-k)) / 2, which is symmetric
// exactly, so the cheaper real inverse (which reads half the terms and trusts the rest) gives it; a
// spectrum that was symmetric already is unchanged.
cv::Mat real_part_of_inverse(cv::Mat spectrum) {
  const int rows = spectrum.rows, cols = spectrum.cols;
  for (int y = 0; y < rows; ++y) {
    const int my = (rows - y) % rows;  // -y
    if (my < y) continue;              // each pair once: its lower row (a row that is its own mirror: once)
    auto* row = spectrum.ptr<cv::Vec2d>(y);
    auto* mirror = spectrum.ptr<cv::Vec2d>(my);
    for (int x = 0; x < cols; ++x) {
      const int mx = (cols - x) % cols;
      if (my == y && mx < x) continue;
      const cv::Vec2d a = row[x], b = mirror[mx];
      const double re = (a[0] + b[0]) / 2, im = (a[1] - b[1]) / 2;
      row[x] = cv::Vec2d(re, im);
      mirror[mx] = cv::Vec2d(re, -im);
    }
  }
  cv::Mat real;
  cv::dft(spectrum, real, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
  return real;
}

cv::Mat clipped(cv::Mat m) {
  cv::min(m, 1.0, m);
  cv::max(m, 0.0, m);
  return m;
}

}  // namespace

cv::Mat grey_of(const cv::Mat& rgb8) {
  if (rgb8.type() != CV_8UC3) throw std::invalid_argument("grey_of: an RGB8 image is needed");
  // byte / 255.0 looked up rather than divided: the same doubles, three divisions a pixel saved.
  static const std::vector<double> kUnit = [] {
    std::vector<double> t(256);
    for (int b = 0; b < 256; ++b) t[static_cast<size_t>(b)] = b / 255.0;
    return t;
  }();
  cv::Mat grey(rgb8.size(), CV_64FC1);
  for (int y = 0; y < rgb8.rows; ++y) {
    const uint8_t* p = rgb8.ptr<uint8_t>(y);
    double* g = grey.ptr<double>(y);
    for (int x = 0; x < rgb8.cols; ++x, p += 3)
      g[x] = 0.2125 * kUnit[p[0]] + 0.7154 * kUnit[p[1]] + 0.0721 * kUnit[p[2]];
  }
  return grey;
}

cv::Mat grey_to_rgb8(const cv::Mat& grey) {
  cv::Mat out(grey.size(), CV_8UC3);
  for (int y = 0; y < grey.rows; ++y) {
    const double* g = grey.ptr<double>(y);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x, o += 3) {
      // floor(255 v + 0.5) of a clipped v: a positive number, which truncation floors (and cheaper).
      const double v = std::min(1.0, std::max(0.0, g[x]));
      o[0] = o[1] = o[2] = static_cast<uint8_t>(v * 255.0 + 0.5);
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
  return clipped(gaussian_filter(grey, sigma, kBackgroundGrey));
}

cv::Mat high_pass(const cv::Mat& grey, double sigma) {
  cv::Mat detail;
  if (std::isinf(sigma)) {
    detail = grey - kBackgroundGrey;
  } else {
    detail = grey - gaussian_filter(grey, sigma, kBackgroundGrey);
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
  // A term turned by an angle of cosine cs and sine sn; its partner by minus the angle: the same cosine, the
  // sine negated (what cos and sin of -angle give exactly), so the pair costs one cos and one sin.
  const auto turn = [](cv::Vec2d& c, double cs, double sn) {
    const double re = c[0] * cs - c[1] * sn;
    const double im = c[0] * sn + c[1] * cs;
    c = cv::Vec2d(re, im);
  };
  for (size_t i = 0; i < length / 2; ++i) {
    const double shift = (2.0 * draws.uniform() - 1.0) * width_degrees * M_PI / 180.0;
    const double cs = std::cos(shift), sn = std::sin(shift);
    turn(at(i), cs, sn);
    turn(at(length - 1 - i), cs, -sn);
  }
  return clipped(real_part_of_inverse(spectrum));
}

cv::Mat amplitude_spectrum(const cv::Mat& grey) {
  cv::Mat spectrum, parts[2], amplitude;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  cv::split(spectrum, parts);
  cv::magnitude(parts[0], parts[1], amplitude);
  return fftshift(amplitude);
}

cv::Mat equalise_power(const cv::Mat& grey, const cv::Mat& mean_amplitude) {
  if (mean_amplitude.size() != grey.size() || mean_amplitude.type() != CV_64FC1)
    throw std::invalid_argument("equalise_power: the mean amplitude spectrum must have the image's size");
  // The uncentred spectrum, each term's amplitude read at its centred place (fftshift moves (y, x) to
  // ((y + rows / 2) mod rows, (x + cols / 2) mod cols)); the phase kept by scaling the term to the new
  // amplitude (a zero term has phase 0, as atan2(0, 0)).
  cv::Mat spectrum;
  cv::dft(grey, spectrum, cv::DFT_COMPLEX_OUTPUT);
  for (int y = 0; y < spectrum.rows; ++y) {
    const double* amplitudes = mean_amplitude.ptr<double>((y + spectrum.rows / 2) % spectrum.rows);
    auto* terms = spectrum.ptr<cv::Vec2d>(y);
    for (int x = 0; x < spectrum.cols; ++x) {
      const double amplitude = amplitudes[(x + spectrum.cols / 2) % spectrum.cols];
      cv::Vec2d& c = terms[x];
      const double magnitude = std::sqrt(c[0] * c[0] + c[1] * c[1]);
      c = magnitude > 0 ? c * (amplitude / magnitude) : cv::Vec2d(amplitude, 0);
    }
  }
  return clipped(real_part_of_inverse(spectrum));
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

}  // namespace

NearestEntry::NearestEntry(const std::vector<double>& table) {
  for (size_t i = 0; i < table.size(); ++i) sorted_.push_back({table[i], static_cast<int>(i)});
  std::sort(sorted_.begin(), sorted_.end(), [](const Entry& a, const Entry& b) {
    return a.value < b.value || (a.value == b.value && a.index < b.index);
  });
  fill_cells();
}

// A cell of [0, 1] holds its answer when no midpoint between two neighbouring distinct values lies in it or
// within kMargin of it: everywhere in such a cell one value is nearer than any other by at least 2 kMargin,
// far more than a computed distance can be off (a few units in the last place), so the answer is that
// value's first index. One sweep of the cells beside one of the midpoints.
void NearestEntry::fill_cells() {
  std::vector<Entry> distinct;  // each value once, with its first index (sorted_ holds it first)
  for (const Entry& e : sorted_)
    if (distinct.empty() || distinct.back().value != e.value) distinct.push_back(e);
  cells_.assign(kCells, -1);
  size_t below = 0;  // the midpoints below the cell's margin
  for (size_t c = 0; c < kCells; ++c) {
    const double from = static_cast<double>(c) / kCells - kMargin,
                 to = static_cast<double>(c + 1) / kCells + kMargin;
    const auto halfway = [&](size_t k) { return (distinct[k].value + distinct[k + 1].value) / 2; };
    while (below + 1 < distinct.size() && halfway(below) < from) ++below;
    if (below + 1 == distinct.size() || halfway(below) > to) cells_[c] = distinct[below].index;
  }
}

// The scan's answer: the computed distance |t - v| falls towards v from either side (rounding is
// monotone), so the nearest entries are the neighbours of v and the runs beside them at the same distance;
// of those the first index.
int NearestEntry::searched(double v) const {
  const auto above = std::lower_bound(sorted_.begin(), sorted_.end(), v,
                                      [](const Entry& e, double x) { return e.value < x; });
  const auto distance = [v](const Entry& e) { return std::abs(e.value - v); };
  double best = std::numeric_limits<double>::infinity();
  if (above != sorted_.end()) best = distance(*above);
  if (above != sorted_.begin()) best = std::min(best, distance(*(above - 1)));
  int index = std::numeric_limits<int>::max();
  for (auto e = above; e != sorted_.end() && distance(*e) == best; ++e) index = std::min(index, e->index);
  for (auto e = above; e != sorted_.begin() && distance(*(e - 1)) == best; --e)
    index = std::min(index, (e - 1)->index);
  return index;
}

int NearestEntry::operator()(double v) const {
  if (v >= 0.0 && v < 1.0) {
    const int known = cells_[static_cast<size_t>(v * kCells)];
    if (known >= 0) return known;
  }
  return searched(v);
}

cv::Mat false_colour(const cv::Mat& rgb8, const std::vector<double>& gamma_table) {
  if (rgb8.type() != CV_8UC3 || gamma_table.size() != 256)
    throw std::invalid_argument("false_colour: an RGB8 image and a gamma table of 256 entries are needed");
  for (const double v : gamma_table)
    if (!std::isfinite(v))
      throw std::invalid_argument("false_colour: the gamma table holds a non-finite value");
  const NearestEntry nearest(gamma_table);
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
      for (int c = 0; c < 3; ++c) o[c] = static_cast<uint8_t>(nearest(std::min(1.0, std::max(0.0, rgb[c]))));
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
