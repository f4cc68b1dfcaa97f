// How much of the network's work fits on its device: free memory and the batch size it allows.
#pragma once

#include <cstddef>
#include <optional>

#include <ATen/ATen.h>

#include "sinforge/model/network.h"

namespace sinforge {

// Free bytes on a CUDA device (cudaMemGetInfo) plus what LibTorch's caching allocator holds unused;
// nullopt for the CPU or a build without CUDA.
std::optional<size_t> free_device_bytes(at::Device device);

// Rough peak bytes of encoder + AdaIN + decoder for one w x h image: the widest full-resolution stage
// (64 channels) with its padded input, output and convolution workspace, in the compute dtype.
size_t bytes_per_image(Precision precision, int w, int h);
size_t bytes_per_image(const NetworkOptions& options, int w, int h);

// --batch-size auto: 4 on the CPU (bigger batches gain nothing there and hold more memory); on a GPU
// kGpuDefaultBatchSize, which batch_limit lowers per image size to what fits. 128 is the batch at which
// sin224 in bf16 was measured on an H200 (2026-11-24, docs/PERFORMANCE.md); larger sizes hit the memory
// limit or the deadline of their bucket first.
inline constexpr int kCpuDefaultBatchSize = 4;
inline constexpr int kGpuDefaultBatchSize = 128;
int default_batch_size(at::Device device);

// The pure rule: requested, lowered to what fits in 80% of free_bytes at per_image bytes an image, never
// below 1 (an image that does not fit alone is tried, and skipped with its reason if it runs out of memory).
int batch_for_memory(size_t free_bytes, size_t per_image, int requested);

// What --batch-size auto picks on a GPU with free_bytes free, for w x h images in `precision`.
int auto_gpu_batch_size(size_t free_bytes, Precision precision, int w, int h);

// The batch size to use for w x h images: batch_for_memory with the device's free memory now. On the CPU:
// requested.
int batch_limit(const NetworkOptions& options, int w, int h, int requested);

}  // namespace sinforge
