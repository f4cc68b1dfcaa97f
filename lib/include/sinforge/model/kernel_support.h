// Which path our ops (AdaIN, the fused glue) take on a GPU: this binary's CUDA kernels, or the same function
// through LibTorch ops when the binary holds no kernel image the GPU can run.
//
// The rule (choose_kernel_route, pure): a cubin built for sm_XY runs on a GPU of the same major version X
// and minor version at least Y (sm_80 runs on sm_86 and sm_89, not on sm_90); the PTX built for compute_XY
// is compiled by the driver for any GPU of capability XY or newer. No cubin and no PTX that fits -> the
// LibTorch-ops path, which computes the same function (tested against the CPU reference) more slowly.
// On a real GPU the runtime is asked too (kernels/kernel_image.h), so a driver too old for our PTX also
// takes the fallback instead of failing the run.
#pragma once

#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "sinforge/core/gpu_info.h"

namespace sinforge {

struct KernelArchitectures {
  std::vector<int> sass;  // cubins, e.g. {75, 80, 86, 90, 100, 120}
  std::vector<int> ptx;   // PTX, e.g. {120}
};

// The architectures this binary's kernels were built for (cmake/CudaArchitectures.cmake); both lists empty in
// a build without CUDA kernels.
const KernelArchitectures& built_kernel_architectures();

enum class KernelRoute { kCudaKernels, kTorchOps };

struct KernelDecision {
  KernelRoute route = KernelRoute::kTorchOps;
  std::string why;  // "sm_86 runs the sm_80 cubin", "no cubin or PTX for sm_70 (built: sm_75, ...)"
};

// The pure rule above.
KernelDecision choose_kernel_route(ComputeCapability gpu, const KernelArchitectures& built);

// For a CUDA device: the rule for its capability, confirmed by the runtime's probe; decided once per device,
// and a fallback is logged once, as a warning naming the GPU and its architecture. False for other devices.
bool use_cuda_kernels(const c10::Device& device);

}  // namespace sinforge
