// AdaIN on CUDA: the LibTorch-facing wrapper of kernels/adain.cu. Checks layouts and dtypes, then hands plain
// pointers and shapes to the kernel on the current stream.
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>

#include "../cuda_tensor.h"
#include "sinforge/model/ops/adain.h"
#include "sinforge_kernels/adain.h"

namespace sinforge::detail {
namespace {

// The kernel reads either plain NCHW or channels-last; anything else is made contiguous in the nearer one.
std::pair<at::Tensor, kernels::Layout> kernel_view(const at::Tensor& t) {
  if (t.is_contiguous(at::MemoryFormat::ChannelsLast) && !t.is_contiguous()) {
    return {t, kernels::Layout::kNHWC};
  }
  if (t.suggest_memory_format() == at::MemoryFormat::ChannelsLast) {
    return {t.contiguous(at::MemoryFormat::ChannelsLast), kernels::Layout::kNHWC};
  }
  return {t.contiguous(), kernels::Layout::kNCHW};
}

// Scratch for the kernels' split reductions (see kernels/include/sinforge_kernels/adain.h), from the caching
// allocator; empty when the shape needs none.
at::Tensor workspace_for(const at::Tensor& x, kernels::Layout layout, kernels::FeatureShape shape) {
  const size_t bytes = kernels::adain_workspace_bytes(layout, shape);
  return at::empty({static_cast<int64_t>(bytes)}, x.options().dtype(at::kByte));
}

}  // namespace

std::pair<at::Tensor, at::Tensor> channel_stats_cuda(const at::Tensor& features) {
  const c10::cuda::CUDAGuard guard(features.device());
  const auto [x, layout] = kernel_view(features);
  const kernels::FeatureShape shape{x.size(0), x.size(1), x.size(2) * x.size(3)};
  const auto options = x.options().dtype(at::kFloat);
  at::Tensor mean = at::empty({shape.n, shape.c}, options);
  at::Tensor std = at::empty({shape.n, shape.c}, options);
  at::Tensor workspace = workspace_for(x, layout, shape);
  check_launch(kernels::launch_channel_stats(x.const_data_ptr(), kernel_element_type(x, "AdaIN"), layout,
                                             shape, kAdainEpsilon, mean.mutable_data_ptr<float>(),
                                             std.mutable_data_ptr<float>(),
                                             workspace.numel() > 0 ? workspace.mutable_data_ptr() : nullptr,
                                             at::cuda::getCurrentCUDAStream()),
               "channel statistics kernel");
  return {mean, std};
}

at::Tensor adain_cuda(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                      const at::Tensor& style_index, float alpha) {
  const c10::cuda::CUDAGuard guard(content.device());
  const auto [x, layout] = kernel_view(content);
  const kernels::FeatureShape shape{x.size(0), x.size(1), x.size(2) * x.size(3)};
  const at::Tensor s_mean = style_mean.to(at::kFloat).contiguous();
  const at::Tensor s_std = style_std.to(at::kFloat).contiguous();
  const at::Tensor index = style_index.contiguous();
  at::Tensor y = at::empty_like(x);
  at::Tensor workspace = workspace_for(x, layout, shape);
  check_launch(
      kernels::launch_adain(x.const_data_ptr(), y.mutable_data_ptr(), kernel_element_type(x, "AdaIN"), layout,
                            shape, s_mean.const_data_ptr<float>(), s_std.const_data_ptr<float>(),
                            index.const_data_ptr<int64_t>(), alpha, kAdainEpsilon,
                            workspace.numel() > 0 ? workspace.mutable_data_ptr() : nullptr,
                            at::cuda::getCurrentCUDAStream()),
      "AdaIN kernel");
  return y;
}

}  // namespace sinforge::detail
