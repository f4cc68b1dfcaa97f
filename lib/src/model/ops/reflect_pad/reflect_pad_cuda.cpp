// ReLU + upsample + reflection pad on CUDA: the LibTorch-facing wrapper of kernels/reflect_pad.cu, on the
// current stream.
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>

#include "../cuda_tensor.h"
#include "sinforge/model/ops/reflect_pad.h"
#include "sinforge_kernels/reflect_pad.h"

namespace sinforge::detail {

at::Tensor reflect_pad1_cuda(const at::Tensor& x, bool relu, bool upsample2) {
  const kernels::ElementType type = kernel_element_type(x, "reflect_pad1");
  const c10::cuda::CUDAGuard guard(x.device());
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const int64_t out_h = (upsample2 ? 2 * h : h) + 2, out_w = (upsample2 ? 2 * w : w) + 2;
  at::Tensor y = at::empty({n, c, out_h, out_w}, x.options().memory_format(at::MemoryFormat::ChannelsLast));
  const kernels::PadShape shape{n, h, w, c, upsample2, relu};
  check_launch(kernels::launch_reflect_pad1(x.const_data_ptr(), y.mutable_data_ptr(), type, shape,
                                            at::cuda::getCurrentCUDAStream()),
               "reflect_pad1 kernel");
  return y;
}

}  // namespace sinforge::detail
