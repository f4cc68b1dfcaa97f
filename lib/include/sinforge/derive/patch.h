// The patched variant of the local-versus-global thesis: black squares of side P on a grid over the square
// crop (docs/REFERENCE.md, "derive"). No randomness.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace sinforge {

// The squares, in row-major order. n = floor(side / P), less one when even; border = floor((side - n P) /
// 2); the candidate cells are the n x n grid of P x P cells from (border, border), and a square goes on
// every cell whose 0-based row and column are both even. side 224: 121, 36, 16, 9, 4, 4, 4 squares for
// P = 10, 20, ..., 70. Requires 1 <= P <= side.
std::vector<cv::Rect> patch_squares(int side, int patch);

// The image with the given squares set to black (0, 0, 0).
cv::Mat black_squares(const cv::Mat& rgb, const std::vector<cv::Rect>& squares);

}  // namespace sinforge
