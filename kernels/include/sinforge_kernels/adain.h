// AdaIN on the GPU: plain pointers, shapes and a stream. No LibTorch, no CLI.
//
// For every sample n and channel c of content features x (N x C x HW, NCHW or NHWC):
//   mean = sum(x) / HW,  var = sum((x - mean)^2) / (HW - 1)  (unbiased),  std = sqrt(var + eps)
//   t = (x - mean) / std * style_std[s, c] + style_mean[s, c],  s = style_index[n] (or n when null)
//   y = alpha * t + (1 - alpha) * x
// Statistics are accumulated in fp32 whatever the element type: each thread keeps a Welford state (count,
// mean, sum of squared deviations), fed a 16-byte pack or a few positions at a time (their own mean and
// deviations, then Chan's merge), and the threads' states are merged with Chan's formula. No sum of squares
// is ever formed, so a plane with a large offset keeps its precision for any HW. HW == 1 gives NaN, as the
// reference's unbiased variance does.
//
// A plane is reduced by one thread block when there are enough planes to fill the GPU; when HW is large and
// there are few planes (N*C small), each plane is split over several blocks: a first launch writes one
// Welford state per (plane, chunk) into the caller's workspace, a second merges them (in a fixed order, so
// results do not depend on scheduling) and applies the map to its chunk.
#pragma once

#include <cstddef>
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

// Device memory the launchers below need for this shape (0 when every plane fits one block). The caller
// allocates it (any alignment of 16 bytes or more) and passes it as workspace; it is scratch, not output.
size_t adain_workspace_bytes(Layout layout, FeatureShape shape);

// y may alias x. style_mean/style_std are fp32 [num_styles x C]; style_index is int64 [N] or null.
cudaError_t launch_adain(const void* x, void* y, ElementType type, Layout layout, FeatureShape shape,
                         const float* style_mean, const float* style_std, const int64_t* style_index,
                         float alpha, float eps, void* workspace, cudaStream_t stream);

// Channel statistics alone (the style side): mean and std = sqrt(unbiased var + eps), fp32 [N x C].
cudaError_t launch_channel_stats(const void* x, ElementType type, Layout layout, FeatureShape shape,
                                 float eps, float* mean_out, float* std_out, void* workspace,
                                 cudaStream_t stream);

}  // namespace sinforge::kernels
