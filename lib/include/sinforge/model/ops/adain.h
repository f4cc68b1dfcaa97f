// Adaptive instance normalisation, one dispatch over the CPU reference, the CUDA kernel and, on a GPU our
// kernels have no image for (kernel_support.h), the same function in LibTorch ops.
//
// Per sample n and channel c of relu4_1 features, over the H*W positions:
//   mean, unbiased variance (divide by H*W - 1), std = sqrt(var + 1e-5)
//   t = (x - mean) / std * style_std[s] + style_mean[s]   with s = style_index[n]
//   y = alpha * t + (1 - alpha) * x
// Statistics are always computed in fp32 or better, whatever the features' dtype.
#pragma once

#include <utility>

#include <ATen/ATen.h>

namespace sinforge {

inline constexpr float kAdainEpsilon = 1e-5f;

// Channel statistics of features [N, C, H, W] (any memory format): (mean, std), each float32 [N, C] on the
// features' device. H*W == 1 gives NaN std, as the reference's unbiased variance does.
std::pair<at::Tensor, at::Tensor> channel_stats(const at::Tensor& features);

// content [N, C, H, W]; style_mean/style_std float32 [S, C] on the same device; style_index int64 [N] with
// values in [0, S) on the same device. Returns a tensor of the content's dtype, device and memory format.
at::Tensor adain(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                 const at::Tensor& style_index, float alpha);

namespace detail {
std::pair<at::Tensor, at::Tensor> channel_stats_cpu(const at::Tensor& features);
at::Tensor adain_cpu(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                     const at::Tensor& style_index, float alpha);
// LibTorch ops on the features' own device (adain_aten.cpp).
std::pair<at::Tensor, at::Tensor> channel_stats_aten(const at::Tensor& features);
at::Tensor adain_aten(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                      const at::Tensor& style_index, float alpha);
#ifdef SINFORGE_HAVE_CUDA
std::pair<at::Tensor, at::Tensor> channel_stats_cuda(const at::Tensor& features);
at::Tensor adain_cuda(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                      const at::Tensor& style_index, float alpha);
#endif
}  // namespace detail

}  // namespace sinforge
