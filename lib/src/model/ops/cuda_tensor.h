// What both CUDA wrappers of our ops (adain_cuda.cpp, reflect_pad_cuda.cpp) do before and after a launch:
// map a tensor's dtype to the kernels' ElementType, and turn a launch's cudaError_t into an exception naming
// the op. Private to model/ops: the kernels know nothing of LibTorch, and the wrappers nothing more than
// this.
#pragma once

#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

#include "sinforge_kernels/adain.h"  // ElementType, cuda_runtime_api.h

namespace sinforge::detail {

// fp32, fp16 or bf16; std::invalid_argument naming `op` and the dtype otherwise.
inline kernels::ElementType kernel_element_type(const at::Tensor& t, const char* op) {
  switch (t.scalar_type()) {
    case at::kFloat:
      return kernels::ElementType::kFloat32;
    case at::kHalf:
      return kernels::ElementType::kFloat16;
    case at::kBFloat16:
      return kernels::ElementType::kBFloat16;
    default:
      throw std::invalid_argument(std::string(op) + " on CUDA takes fp32, fp16 or bf16, not " +
                                  c10::toString(t.scalar_type()));
  }
}

// std::runtime_error "<what>: <CUDA's message>" unless the launch succeeded.
inline void check_launch(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

}  // namespace sinforge::detail
