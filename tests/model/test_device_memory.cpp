// How much of the network fits on its device: the per-image estimate grows with the image and halves with
// 16-bit precision; the CPU takes the batch asked for; --batch-size auto is 4 on the CPU.
#include "sinforge/model/device_memory.h"

#include <gtest/gtest.h>

namespace sinforge {
namespace {

TEST(DeviceMemory, TheEstimateGrowsWithTheImageAndShrinksWithPrecision) {
  NetworkOptions fp32;
  const size_t small = bytes_per_image(fp32, 224, 224);
  const size_t large = bytes_per_image(fp32, 448, 448);
  EXPECT_GT(small, 0u);
  EXPECT_GT(large, 3 * small) << "four times the pixels";
  EXPECT_LE(large, 5 * small);
  NetworkOptions bf16 = fp32;
  bf16.precision = Precision::kBf16;
  EXPECT_LT(bytes_per_image(bf16, 224, 224), small);
  // At least the widest stage's activations: 64 channels at full resolution, in and out, in float32.
  EXPECT_GE(small, size_t{2} * 64 * 224 * 224 * 4);
}

TEST(DeviceMemory, TheCpuTakesTheBatchAskedFor) {
  NetworkOptions cpu;
  EXPECT_EQ(batch_limit(cpu, 4000, 3000, 17), 17);
  EXPECT_EQ(default_batch_size(at::kCPU), kCpuDefaultBatchSize);
  EXPECT_FALSE(free_device_bytes(at::kCPU).has_value());
}

TEST(DeviceMemory, AGpuLowersTheBatchToWhatFits) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA device";
  NetworkOptions gpu;
  gpu.device = at::Device(at::kCUDA, 0);
  EXPECT_EQ(default_batch_size(gpu.device), kGpuDefaultBatchSize);
  const int small = batch_limit(gpu, 224, 224, 1 << 20);
  const int large = batch_limit(gpu, 2240, 2240, 1 << 20);
  EXPECT_GE(small, 1);
  EXPECT_GE(large, 1);
  EXPECT_LT(large, small) << "a hundred times the pixels fit fewer times";
  EXPECT_EQ(batch_limit(gpu, 224, 224, 2), 2) << "never more than asked";
}

}  // namespace
}  // namespace sinforge
