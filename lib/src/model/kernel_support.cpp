#include "sinforge/model/kernel_support.h"

#include <array>
#include <mutex>

#include "sinforge/core/log.h"

#ifdef SINFORGE_HAVE_CUDA
#include "sinforge_kernels/kernel_image.h"
#endif

namespace sinforge {
namespace {

std::string list_of(const KernelArchitectures& built) {
  if (built.sass.empty() && built.ptx.empty()) return "this binary has no CUDA kernels";
  std::string s = "built:";
  for (int a : built.sass) s += " " + sm_name(a);
  for (int a : built.ptx) s += " compute_" + std::to_string(a);
  return s;
}

// The runtime's answer for a device the rule accepted; empty when the kernels can run.
std::string probe_failure(int device_index) {
#ifdef SINFORGE_HAVE_CUDA
  int binary = 0;
  const cudaError_t status = kernels::probe_kernel_image(device_index, &binary);
  if (status == cudaSuccess) return {};
  return str_cat("the CUDA runtime cannot load our kernels: ", cudaGetErrorString(status));
#else
  (void)device_index;
  return "this binary has no CUDA kernels";
#endif
}

KernelRoute decide_for_device(int index) {
  const std::optional<GpuInfo> gpu = gpu_info(index);
  KernelDecision d;
  std::string label = str_cat("cuda:", index);
  if (gpu) {
    label = str_cat("cuda:", index, " (", gpu->name, ", ", sm_name(gpu->capability), ")");
    d = choose_kernel_route(gpu->capability, built_kernel_architectures());
    if (d.route == KernelRoute::kCudaKernels) {
      if (std::string failure = probe_failure(index); !failure.empty()) d = {KernelRoute::kTorchOps, failure};
    }
  } else {
    d.why = built_kernel_architectures().sass.empty() ? list_of(built_kernel_architectures())
                                                      : "its architecture could not be read";
  }
  if (d.route == KernelRoute::kTorchOps) {
    log::warn(
        str_cat("GPU ", label, ": ", d.why,
                "; AdaIN and the fused glue run through LibTorch ops instead (the same results, slower)"));
  } else {
    log::debug(str_cat("GPU ", label, ": our CUDA kernels (", d.why, ")"));
  }
  return d.route;
}

}  // namespace

KernelDecision choose_kernel_route(ComputeCapability gpu, const KernelArchitectures& built) {
  const int number = gpu.number();
  // The newest cubin of the same major version that does not exceed the GPU's minor version.
  int best = -1;
  for (int a : built.sass) {
    if (a / 10 == gpu.major && a % 10 <= gpu.minor && a > best) best = a;
  }
  if (best == number) return {KernelRoute::kCudaKernels, str_cat(sm_name(best), " cubin")};
  if (best >= 0)
    return {KernelRoute::kCudaKernels, str_cat(sm_name(gpu), " runs the ", sm_name(best), " cubin")};
  int ptx = -1;
  for (int a : built.ptx) {
    if (a <= number && a > ptx) ptx = a;
  }
  if (ptx >= 0) {
    return {KernelRoute::kCudaKernels,
            str_cat("no ", sm_name(gpu), " cubin; the driver compiles the compute_", ptx, " PTX")};
  }
  return {KernelRoute::kTorchOps, str_cat("no kernel image for ", sm_name(gpu), " (", list_of(built), ")")};
}

bool use_cuda_kernels(const c10::Device& device) {
  if (!device.is_cuda()) return false;
  constexpr size_t kMaxDevices = 64;
  static std::array<std::once_flag, kMaxDevices> once;
  static std::array<KernelRoute, kMaxDevices> route{};
  const auto index = static_cast<size_t>(device.index() < 0 ? 0 : device.index());
  if (index >= kMaxDevices) return decide_for_device(static_cast<int>(index)) == KernelRoute::kCudaKernels;
  std::call_once(once[index], [&] { route[index] = decide_for_device(static_cast<int>(index)); });
  return route[index] == KernelRoute::kCudaKernels;
}

}  // namespace sinforge
