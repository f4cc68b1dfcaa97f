#include "sinforge/model/device_memory.h"

#include <algorithm>

#ifdef SINFORGE_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>

#include <c10/cuda/CUDAGuard.h>
#endif

namespace sinforge {

std::optional<size_t> free_device_bytes(at::Device device) {
#ifdef SINFORGE_HAVE_CUDA
  if (!device.is_cuda()) return std::nullopt;
  const c10::cuda::CUDAGuard guard(device);
  size_t free = 0, total = 0;
  if (cudaMemGetInfo(&free, &total) != cudaSuccess) {
    (void)cudaGetLastError();
    return std::nullopt;
  }
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
  const auto& reserved = stats.reserved_bytes[0].current;
  const auto& allocated = stats.allocated_bytes[0].current;
  if (reserved > allocated) free += static_cast<size_t>(reserved - allocated);
  return free;
#else
  (void)device;
  return std::nullopt;
#endif
}

size_t bytes_per_image(const NetworkOptions& options, int w, int h) {
  return bytes_per_image(options.precision, w, h);
}

size_t bytes_per_image(Precision precision, int w, int h) {
  const size_t element = precision == Precision::kFp32 ? 4 : 2;
  const size_t pixels = static_cast<size_t>(w) * static_cast<size_t>(h);
  // 64 channels at full resolution: padded input, output, the next layer's padded copy, and as much again for
  // convolution workspaces and allocator slack.
  return 64 * pixels * element * 6;
}

int default_batch_size(at::Device device) {
  return device.is_cuda() ? kGpuDefaultBatchSize : kCpuDefaultBatchSize;
}

int batch_for_memory(size_t free_bytes, size_t per_image, int requested) {
  const size_t fits = (free_bytes / 10 * 8) / std::max<size_t>(1, per_image);
  return static_cast<int>(std::clamp<size_t>(fits, 1, static_cast<size_t>(std::max(1, requested))));
}

int auto_gpu_batch_size(size_t free_bytes, Precision precision, int w, int h) {
  return batch_for_memory(free_bytes, bytes_per_image(precision, w, h), kGpuDefaultBatchSize);
}

int batch_limit(const NetworkOptions& options, int w, int h, int requested) {
  const std::optional<size_t> free = free_device_bytes(options.device);
  if (!free) return requested;
  return batch_for_memory(*free, bytes_per_image(options, w, h), requested);
}

}  // namespace sinforge
