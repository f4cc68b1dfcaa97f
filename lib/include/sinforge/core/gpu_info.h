// What the machine's GPUs are: name, compute capability, memory; and the CUDA runtime and driver versions.
// Read through the CUDA runtime when LibTorch is a CUDA build (SINFORGE_HAVE_CUDA_RUNTIME); without one,
// there are no GPUs and no versions. Nothing here decides anything: kernel_support.h and the precision
// rule (network.h) take a ComputeCapability, so they are tested for every chip on a machine without one.
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sinforge {

// A GPU's architecture, e.g. 8.6 (sm_86: A10, RTX 3090).
struct ComputeCapability {
  int major = 0;
  int minor = 0;
  int number() const { return major * 10 + minor; }  // 86
  auto operator<=>(const ComputeCapability&) const = default;
};
std::string to_string(ComputeCapability c);  // "8.6"
std::string sm_name(ComputeCapability c);    // "sm_86"
std::string sm_name(int number);             // 86 -> "sm_86"

struct GpuInfo {
  int index = 0;
  std::string name;  // "NVIDIA H200"
  ComputeCapability capability;
  size_t total_bytes = 0;
  std::optional<size_t> free_bytes;  // at the time of the call (cudaMemGetInfo), when asked for
};

// Free memory needs a CUDA context on the GPU; the properties alone do not make one.
enum class FreeMemory { kSkip, kRead };

// Every GPU the CUDA runtime sees (CUDA_VISIBLE_DEVICES applies); empty without a GPU or a CUDA runtime.
std::vector<GpuInfo> visible_gpus(FreeMemory free = FreeMemory::kRead);
// One GPU by index; nullopt when there is no such GPU.
std::optional<GpuInfo> gpu_info(int index, FreeMemory free = FreeMemory::kSkip);

// "13.2": the CUDA runtime's version, and the newest CUDA version the installed driver supports; nullopt
// without a CUDA runtime (or, for the driver, without a driver).
std::optional<std::string> cuda_runtime_version();
std::optional<std::string> cuda_driver_version();

}  // namespace sinforge
