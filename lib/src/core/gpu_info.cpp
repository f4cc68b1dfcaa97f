#include "sinforge/core/gpu_info.h"

#ifdef SINFORGE_HAVE_CUDA_RUNTIME
#include <cuda_runtime_api.h>
#endif

namespace sinforge {
namespace {

// CUDA encodes versions as 1000 * major + 10 * minor (13020 -> "13.2").
std::string cuda_version_string(int v) {
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

}  // namespace

std::string to_string(ComputeCapability c) { return std::to_string(c.major) + "." + std::to_string(c.minor); }
std::string sm_name(ComputeCapability c) { return sm_name(c.number()); }
std::string sm_name(int number) { return "sm_" + std::to_string(number); }

#ifdef SINFORGE_HAVE_CUDA_RUNTIME

std::optional<GpuInfo> gpu_info(int index, FreeMemory free_memory) {
  cudaDeviceProp p{};
  if (cudaGetDeviceProperties(&p, index) != cudaSuccess) {
    (void)cudaGetLastError();
    return std::nullopt;
  }
  GpuInfo g;
  g.index = index;
  g.name = p.name;
  g.capability = {p.major, p.minor};
  g.total_bytes = p.totalGlobalMem;
  int previous = 0;
  if (free_memory == FreeMemory::kRead && cudaGetDevice(&previous) == cudaSuccess &&
      cudaSetDevice(index) == cudaSuccess) {
    size_t free = 0, total = 0;
    if (cudaMemGetInfo(&free, &total) == cudaSuccess) g.free_bytes = free;
    (void)cudaSetDevice(previous);
  }
  (void)cudaGetLastError();
  return g;
}

std::vector<GpuInfo> visible_gpus(FreeMemory free_memory) {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {  // no driver or no GPU: not an error here
    (void)cudaGetLastError();
    return {};
  }
  std::vector<GpuInfo> gpus;
  for (int i = 0; i < count; ++i) {
    if (auto g = gpu_info(i, free_memory)) gpus.push_back(*g);
  }
  return gpus;
}

std::optional<std::string> cuda_runtime_version() {
  int v = 0;
  if (cudaRuntimeGetVersion(&v) != cudaSuccess || v == 0) return std::nullopt;
  return cuda_version_string(v);
}

std::optional<std::string> cuda_driver_version() {
  int v = 0;
  if (cudaDriverGetVersion(&v) != cudaSuccess || v == 0) return std::nullopt;  // 0: no driver installed
  return cuda_version_string(v);
}

#else

std::optional<GpuInfo> gpu_info(int, FreeMemory) { return std::nullopt; }
std::vector<GpuInfo> visible_gpus(FreeMemory) { return {}; }
std::optional<std::string> cuda_runtime_version() { return std::nullopt; }
std::optional<std::string> cuda_driver_version() { return std::nullopt; }

#endif

}  // namespace sinforge
