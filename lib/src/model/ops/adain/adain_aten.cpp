// AdaIN through LibTorch ops on any device: the fallback for a GPU that our kernels have no image for
// (kernel_support.h), and the yardstick the bench times the kernel against. fp32 statistics (var with the
// unbiased divisor), whatever the features' dtype; the tests hold it to the CPU reference.
#include "sinforge/model/ops/adain.h"

namespace sinforge::detail {

std::pair<at::Tensor, at::Tensor> channel_stats_aten(const at::Tensor& features) {
  const at::Tensor x = features.to(at::kFloat);
  const at::Tensor mean = x.mean({2, 3});
  const at::Tensor std = (x.var({2, 3}, /*unbiased=*/true) + kAdainEpsilon).sqrt();
  return {mean.contiguous(), std.contiguous()};
}

at::Tensor adain_aten(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                      const at::Tensor& style_index, float alpha) {
  const at::Tensor x = content.to(at::kFloat);
  const int64_t n = x.size(0), c = x.size(1);
  const at::Tensor mean = x.mean({2, 3}, /*keepdim=*/true);
  const at::Tensor std = (x.var({2, 3}, /*unbiased=*/true, /*keepdim=*/true) + kAdainEpsilon).sqrt();
  const at::Tensor gain = style_std.to(at::kFloat).index_select(0, style_index).view({n, c, 1, 1});
  const at::Tensor shift = style_mean.to(at::kFloat).index_select(0, style_index).view({n, c, 1, 1});
  const at::Tensor t = (x - mean) / std * gain + shift;
  const at::Tensor y = alpha == 1.f ? t : t * alpha + x * (1.f - alpha);
  return y.to(content.scalar_type()).contiguous(content.suggest_memory_format());
}

}  // namespace sinforge::detail
