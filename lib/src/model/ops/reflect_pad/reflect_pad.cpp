// ReLU + upsample + reflection pad: the checks and the dispatch to the CUDA kernel or the index-rule path.
#include "sinforge/model/ops/reflect_pad.h"

#include <stdexcept>
#include <string>

#include "sinforge/core/log.h"
#include "sinforge/model/kernel_support.h"

namespace sinforge {
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
  return detail::reflect_pad1_aten(x, relu, upsample2);
}

}  // namespace sinforge
