// The device dispatch for AdaIN: argument checks shared by both paths, then CPU or CUDA.
#include "sinforge/model/adain.h"

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

#ifndef SINFORGE_HAVE_CUDA
[[noreturn]] void no_cuda() {
  throw std::runtime_error("this build of sinforge has no CUDA kernels (built without the CUDA toolkit)");
}
#endif

}  // namespace

std::pair<at::Tensor, at::Tensor> channel_stats(const at::Tensor& features) {
  check_features(features, "features");
  if (features.is_cuda()) {
#ifdef SINFORGE_HAVE_CUDA
    return detail::channel_stats_cuda(features);
#else
    no_cuda();
#endif
  }
  return detail::channel_stats_cpu(features);
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
  if (content.is_cuda()) {
#ifdef SINFORGE_HAVE_CUDA
    return detail::adain_cuda(content, style_mean, style_std, style_index, alpha);
#else
    no_cuda();
#endif
  }
  return detail::adain_cpu(content, style_mean, style_std, style_index, alpha);
}

}  // namespace sinforge
