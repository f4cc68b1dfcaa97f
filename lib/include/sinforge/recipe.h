// How content images and paintings are prepared before the network: the recipe of a dataset.
#pragma once

#include <string>

#include <opencv2/core.hpp>

namespace sinforge {

inline constexpr int kMinImageSide = 9;  // below this the encoder's reflection padding has nothing to reflect

struct ContentRecipe {
  int size = 0;  // shorter side (torchvision Resize(int), Pillow bilinear); 0 keeps the size
  int crop = 0;  // centre crop after resizing; 0: none
};

struct StyleRecipe {
  int size = 512;  // shorter side (Pillow bilinear); 0 keeps the size
};

cv::Mat prepare_content(const cv::Mat& rgb, const ContentRecipe& recipe);
cv::Mat prepare_style(const cv::Mat& rgb, const StyleRecipe& recipe);

// Empty when the image can pass the encoder, else why not.
std::string too_small_reason(const cv::Mat& rgb);

}  // namespace sinforge
