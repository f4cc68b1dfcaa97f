// ReLU + upsample + reflection pad: the dispatch, and the index-rule path for the CPU and other layouts.
#include "sinforge/model/reflect_pad.h"

#include <stdexcept>
#include <string>

#include "sinforge/core/log.h"
#include "sinforge/model/kernel_support.h"
#include "sinforge_kernels/reflect_pad_index.h"

namespace sinforge {
namespace {

// The source index of every output row (or column), from the kernel's own rule.
at::Tensor source_indices(int64_t padded_length, int64_t length, bool upsample2, at::Device device) {
  std::vector<int64_t> index(static_cast<size_t>(padded_length));
  for (int64_t i = 0; i < padded_length; ++i) index[i] = kernels::reflect_source(i, length, upsample2);
  return at::tensor(index, at::kLong).to(device);
}

}  // namespace

at::Tensor reflect_pad1(const at::Tensor& x, bool relu, bool upsample2) {
  if (x.dim() != 4)
    throw std::invalid_argument(str_cat("reflect_pad1: expects [N, C, H, W], got ", x.sizes()));
  const int64_t h = upsample2 ? 2 * x.size(2) : x.size(2), w = upsample2 ? 2 * x.size(3) : x.size(3);
  if (h < 2 || w < 2)
    throw std::invalid_argument(str_cat("reflect_pad1: ", x.sizes(), " is too small to reflect"));
#ifdef SINFORGE_HAVE_CUDA
  if (x.is_cuda() && x.is_contiguous(at::MemoryFormat::ChannelsLast) && use_cuda_kernels(x.device()))
    return detail::reflect_pad1_cuda(x, relu, upsample2);
#endif
  at::Tensor y = x.index_select(2, source_indices(h + 2, h, upsample2, x.device()))
                     .index_select(3, source_indices(w + 2, w, upsample2, x.device()));
  return relu ? y.relu_() : y;
}

}  // namespace sinforge
