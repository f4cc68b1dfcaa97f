// Between RGB uint8 images and the network's float NCHW tensors.
#pragma once

#include <vector>

#include <ATen/ATen.h>
#include <opencv2/core.hpp>

namespace sinforge {

// Same-size RGB uint8 images -> float32 NCHW in [0, 1] (x / 255 as torchvision's ToTensor), contiguous, CPU.
// Throws std::invalid_argument on an empty list, a non-RGB8 image or mixed sizes. pinned: in page-locked
// memory (needs a CUDA runtime), from which a non-blocking upload to the GPU is truly asynchronous.
at::Tensor images_to_tensor(const std::vector<cv::Mat>& rgb_images, bool pinned = false);

// NCHW (3 channels; fp32, fp16 or bf16; CPU or CUDA) -> one RGB uint8 image per sample, of the top-left
// out_h x out_w region, each value uint8(clamp(x * 255 + 0.5, 0, 255)) computed in float32 exactly as
// torchvision's save_image does. NaN becomes 0. Throws std::invalid_argument on a bad shape.
std::vector<cv::Mat> tensor_to_images(const at::Tensor& nchw, int out_w, int out_h);

// The same 8-bit rule on the tensor's own device: uint8 N x out_h x out_w x 3 (NHWC, contiguous). On a GPU
// this runs before the download, which then moves a quarter of the float32 bytes. tensor_to_images is
// rgb8_to_images(quantize_to_rgb8(...).cpu()).
at::Tensor quantize_to_rgb8(const at::Tensor& nchw, int out_w, int out_h);

// uint8 N x H x W x 3 on the CPU -> one RGB image per sample (copies).
std::vector<cv::Mat> rgb8_to_images(const at::Tensor& nhwc_bytes);

}  // namespace sinforge
