// The glue between the network's convolutions in one op: optional ReLU, optional nearest x2 upsampling, then
// the reflection padding of 1 that a 3x3 convolution reads (kernels/include/sinforge_kernels/reflect_pad.h
// has the rule). On CUDA with a channels-last tensor, one fused kernel (when the binary has an image for the
// GPU: kernel_support.h); elsewhere the same index rule through
// LibTorch ops (index_select), which the tests hold equal to reflection_pad2d(upsample(relu(x))).
#pragma once

#include <ATen/ATen.h>

namespace sinforge {

// x: [N, C, H, W] (H', W' >= 2 after upsampling). Returns [N, C, H' + 2, W' + 2] in x's dtype, on x's device,
// channels-last when the fused kernel made it.
at::Tensor reflect_pad1(const at::Tensor& x, bool relu, bool upsample2);

namespace detail {
// The index-rule path in ATen ops (reflect_pad_aten.cpp), on x as it is; x already checked.
at::Tensor reflect_pad1_aten(const at::Tensor& x, bool relu, bool upsample2);
at::Tensor reflect_pad1_cuda(const at::Tensor& x_channels_last, bool relu, bool upsample2);
}  // namespace detail

}  // namespace sinforge
