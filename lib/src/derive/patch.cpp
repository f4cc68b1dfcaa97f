#include "sinforge/derive/patch.h"

#include <stdexcept>

namespace sinforge {

std::vector<cv::Rect> patch_squares(int side, int patch) {
  if (patch < 1 || patch > side) throw std::invalid_argument("patch_squares: the patch must fit the crop");
  int n = side / patch;
  if (n % 2 == 0) --n;  // an odd count keeps the pattern symmetric: black on both outer cells
  const int border = (side - n * patch) / 2;
  std::vector<cv::Rect> squares;
  for (int row = 0; row < n; row += 2) {
    for (int col = 0; col < n; col += 2)
      squares.emplace_back(border + col * patch, border + row * patch, patch, patch);
  }
  return squares;
}

cv::Mat black_squares(const cv::Mat& rgb, const std::vector<cv::Rect>& squares) {
  cv::Mat out = rgb.clone();
  for (const cv::Rect& r : squares) out(r).setTo(cv::Scalar::all(0));
  return out;
}

}  // namespace sinforge
