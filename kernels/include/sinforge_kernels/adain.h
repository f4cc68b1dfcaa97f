// AdaIN on the GPU: plain pointers, shapes and a stream. No LibTorch, no CLI.
//
// For every sample n and channel c of content features x (N x C x HW, NCHW or NHWC):
//   mean = sum(x) / HW,  var = sum((x - mean)^2) / (HW - 1)  (unbiased),  std = sqrt(var + eps)
//   t = (x - mean) / std * style_std[s, c] + style_mean[s, c],  s = style_index[n] (or n when null)
//   y = alpha * t + (1 - alpha) * x
// Statistics are accumulated in fp32 whatever the element type, with Welford's update so large HW keeps
// its precision. HW == 1 gives NaN, as the reference's unbiased variance does.
#pragma once

#include <cstdint>

#include <cuda_runtime_api.h>

namespace sinforge::kernels {

enum class ElementType { kFloat32, kFloat16, kBFloat16 };
enum class Layout { kNCHW, kNHWC };

struct FeatureShape {
  int64_t n = 0;
  int64_t c = 0;
  int64_t hw = 0;
};

// y may alias x. style_mean/style_std are fp32 [num_styles x C]; style_index is int64 [N] or null.
cudaError_t launch_adain(const void* x, void* y, ElementType type, Layout layout, FeatureShape shape,
                         const float* style_mean, const float* style_std, const int64_t* style_index,
                         float alpha, float eps, cudaStream_t stream);

// Channel statistics alone (the style side): mean and std = sqrt(unbiased var + eps), fp32 [N x C].
cudaError_t launch_channel_stats(const void* x, ElementType type, Layout layout, FeatureShape shape,
                                 float eps, float* mean_out, float* std_out, cudaStream_t stream);

}  // namespace sinforge::kernels
