// The device dispatch for AdaIN: argument checks shared by every path, then the CPU reference, our CUDA
// kernel, or LibTorch ops on a GPU our kernels cannot run on.
#include "sinforge/model/ops/adain.h"

#include "sinforge/model/kernel_support.h"

#include <stdexcept>
#include <string>

namespace sinforge {
namespace {

void check_features(const at::Tensor& features, const char* what) {
  if (features.dim() != 4) {
    throw std::invalid_argument(std::string(what) + " must be [N, C, H, W], got " +
                                std::to_string(features.dim()) + " dimensions");
  }
}

}  // namespace

std::pair<at::Tensor, at::Tensor> channel_stats(const at::Tensor& features) {
  check_features(features, "features");
  if (features.is_cpu()) return detail::channel_stats_cpu(features);
#ifdef SINFORGE_HAVE_CUDA
  if (use_cuda_kernels(features.device())) return detail::channel_stats_cuda(features);
#endif
  return detail::channel_stats_aten(features);
}

at::Tensor adain(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                 const at::Tensor& style_index, float alpha) {
  check_features(content, "content features");
  const int64_t n = content.size(0);
  const int64_t c = content.size(1);
  if (style_mean.dim() != 2 || style_mean.size(1) != c || !style_mean.sizes().equals(style_std.sizes())) {
    throw std::invalid_argument("style statistics must both be [S, " + std::to_string(c) + "]");
  }
  if (style_index.dim() != 1 || style_index.size(0) != n || style_index.scalar_type() != at::kLong) {
    throw std::invalid_argument("style_index must be int64 [" + std::to_string(n) + "]");
  }
  if (style_mean.device() != content.device() || style_std.device() != content.device() ||
      style_index.device() != content.device()) {
    throw std::invalid_argument("content, style statistics and style_index must be on one device");
  }
  if (!(alpha >= 0.f && alpha <= 1.f)) throw std::invalid_argument("alpha must lie in [0, 1]");
  if (content.is_cpu()) return detail::adain_cpu(content, style_mean, style_std, style_index, alpha);
#ifdef SINFORGE_HAVE_CUDA
  if (use_cuda_kernels(content.device()))
    return detail::adain_cuda(content, style_mean, style_std, style_index, alpha);
#endif
  return detail::adain_aten(content, style_mean, style_std, style_index, alpha);
}

}  // namespace sinforge
