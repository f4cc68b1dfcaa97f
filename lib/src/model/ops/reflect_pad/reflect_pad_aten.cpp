// ReLU + upsample + reflection pad in LibTorch (ATen) ops on any device: the kernel's own index rule
// (kernels/include/sinforge_kernels/reflect_pad_index.h) through index_select. The CPU's path, and a GPU's
// where the fused kernel does not run.
#include <vector>

#include "sinforge/model/ops/reflect_pad.h"
#include "sinforge_kernels/reflect_pad_index.h"

namespace sinforge::detail {
namespace {

// The source index of every output row (or column), from the kernel's own rule.
at::Tensor source_indices(int64_t padded_length, int64_t length, bool upsample2, at::Device device) {
  std::vector<int64_t> index(static_cast<size_t>(padded_length));
  for (int64_t i = 0; i < padded_length; ++i) index[i] = kernels::reflect_source(i, length, upsample2);
  return at::tensor(index, at::kLong).to(device);
}

}  // namespace

at::Tensor reflect_pad1_aten(const at::Tensor& x, bool relu, bool upsample2) {
  const int64_t h = upsample2 ? 2 * x.size(2) : x.size(2), w = upsample2 ? 2 * x.size(3) : x.size(3);
  at::Tensor y = x.index_select(2, source_indices(h + 2, h, upsample2, x.device()))
                     .index_select(3, source_indices(w + 2, w, upsample2, x.device()));
  return relu ? y.relu_() : y;
}

}  // namespace sinforge::detail
