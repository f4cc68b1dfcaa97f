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

// The same images as their bytes: uint8 N x H x W x 3 (NHWC, contiguous), a quarter of the float32 bytes,
// for uploading to a GPU before the conversion (same checks as images_to_tensor).
at::Tensor images_to_rgb8(const std::vector<cv::Mat>& rgb_images, bool pinned = false);

// uint8 N x H x W x 3 on any device -> float32 N x 3 x H x W (contiguous) in [0, 1] on that device, as
// images_to_tensor computes it: a true division by 255 (ATen turns a division by a CPU scalar into a
// multiplication by its reciprocal on CUDA, which rounds differently for some bytes; a 0-dim tensor on the
// device keeps the division). rgb8_to_tensor(images_to_rgb8(x)) equals images_to_tensor(x) bit for bit.
at::Tensor rgb8_to_tensor(const at::Tensor& nhwc_bytes);

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
