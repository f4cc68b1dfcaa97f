// ReLU + upsample + reflection pad on CUDA: the LibTorch-facing wrapper of kernels/reflect_pad.cu, on the
// current stream.
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>

#include <stdexcept>

#include "sinforge/core/log.h"
#include "sinforge/model/reflect_pad.h"
#include "sinforge_kernels/reflect_pad.h"

namespace sinforge::detail {

at::Tensor reflect_pad1_cuda(const at::Tensor& x, bool relu, bool upsample2) {
  kernels::ElementType type = kernels::ElementType::kFloat32;
  if (x.scalar_type() == at::kHalf) {
    type = kernels::ElementType::kFloat16;
  } else if (x.scalar_type() == at::kBFloat16) {
    type = kernels::ElementType::kBFloat16;
  } else if (x.scalar_type() != at::kFloat) {
    throw std::invalid_argument(
        str_cat("reflect_pad1 on CUDA takes fp32, fp16 or bf16, not ", x.scalar_type()));
  }
  const c10::cuda::CUDAGuard guard(x.device());
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t out_h = (upsample2 ? 2 * h : h) + 2, out_w = (upsample2 ? 2 * w : w) + 2;
  at::Tensor y = at::empty({n, c, out_h, out_w}, x.options().memory_format(at::MemoryFormat::ChannelsLast));
  const kernels::PadShape shape{n, h, w, c, upsample2, relu};
  const cudaError_t status = kernels::launch_reflect_pad1(x.const_data_ptr(), y.mutable_data_ptr(), type,
                                                          shape, at::cuda::getCurrentCUDAStream());
  if (status != cudaSuccess) {
    throw std::runtime_error(str_cat("reflect_pad1 kernel: ", cudaGetErrorString(status)));
  }
  return y;
}

}  // namespace sinforge::detail
