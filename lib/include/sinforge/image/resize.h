// Pillow-exact resampling and the torchvision geometry (Resize(int), CenterCrop) of the reference recipes.
#pragma once

#include <utility>

#include <opencv2/core.hpp>

namespace sinforge {

// Pillow's filters: BILINEAR (torchvision's Resize default), LANCZOS (= ANTIALIAS), BOX.
enum class ResampleFilter { kBilinear, kLanczos, kBox };

// Image.resize((out_w, out_h), filter) on an RGB uint8 image, byte for byte with Pillow up to 12 (the
// version the published tools made Stylized-ImageNet with; the test references pin 12.3): the separable
// fixed-point algorithm of libImaging/Resample.c (support widened by the scale factor when shrinking, a pass
// skipped when its dimension keeps its size, horizontal pass first; Pillow 13's other order is one switch
// away in resize.cpp). docs/REFERENCE.md section 7.
// Throws std::invalid_argument on bad input.
cv::Mat resize_pillow(const cv::Mat& rgb, int out_w, int out_h, ResampleFilter filter);

// torchvision Resize(target) with an int: the shorter side becomes target, the longer
// int(target * long / short) (truncated). Returns {width, height}; target 0 keeps (w, h).
std::pair<int, int> shorter_side_size(int w, int h, int target);

// torchvision CenterCrop(size): top = round((h - size) / 2), left = round((w - size) / 2), Python's round
// (half to even). An image smaller than size on a side is padded with zeros first, centred the way
// torchvision pads (left = (size - w) / 2 rounded down, the rest right), so the result is always size x size.
cv::Mat center_crop(const cv::Mat& rgb, int size);

// The centred square of side min(w, h), same rounding (the sin224 style recipe crops this, then resizes).
cv::Mat center_square(const cv::Mat& rgb);

}  // namespace sinforge
