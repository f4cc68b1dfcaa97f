// How much of the network fits on its device: the per-image estimate grows with the image and halves with
// 16-bit precision; the CPU takes the batch asked for; --batch-size auto is 4 on the CPU, and on a GPU what
// fits, tested as a pure function on every card size users run.
#include "sinforge/model/device_memory.h"

#include <gtest/gtest.h>

#include <vector>

#include "sinforge/core/log.h"

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

// --batch-size auto on the cards users run: 16 GB (T4, V100-16), 24 (A10, L4, RTX 3090/4090), 40 (A100-40),
// 80 (A100-80, H100) and 141 GB (H200), each with about 1 GiB taken by the CUDA context, cuDNN and the
// weights before the first batch.
constexpr size_t kGiB = size_t{1} << 30;
constexpr size_t kContextAndWeights = kGiB;
const std::vector<size_t> kCardGigabytes = {16, 24, 40, 80, 141};

size_t free_on_card(size_t gigabytes) { return gigabytes * 1000 * 1000 * 1000 - kContextAndWeights; }

// What the choice must satisfy for any card: at least 1, at most the default, the batch fits in 80% of the
// free memory by the estimate, and one more image would not (unless the default capped it).
void expect_fits_and_fills(size_t free, Precision precision, int w, int h) {
  const int batch = auto_gpu_batch_size(free, precision, w, h);
  const size_t per_image = bytes_per_image(precision, w, h);
  SCOPED_TRACE(str_cat(free / kGiB, " GiB free, ", w, "x", h, " ", to_string(precision), ": batch ", batch));
  EXPECT_GE(batch, 1);
  EXPECT_LE(batch, kGpuDefaultBatchSize);
  if (batch > 1) {
    EXPECT_LE(static_cast<size_t>(batch) * per_image, free / 10 * 8);
  }
  if (batch < kGpuDefaultBatchSize) {
    EXPECT_GT(static_cast<size_t>(batch + 1) * per_image, free / 10 * 8);
  }
}

TEST(DeviceMemory, AutoBatchOnEveryCardSizeForSin224AndFull) {
  for (const size_t gb : kCardGigabytes) {
    for (const Precision p : {Precision::kFp32, Precision::kBf16}) {
      expect_fits_and_fills(free_on_card(gb), p, 224, 224);   // sin224
      expect_fits_and_fills(free_on_card(gb), p, 500, 375);   // full: ImageNet's most common size
      expect_fits_and_fills(free_on_card(gb), p, 1000, 800);  // full: a large ImageNet image
    }
  }
  // sin224 fills the default batch on every card, even in fp32 on 16 GB; full's batch grows with the card.
  EXPECT_EQ(auto_gpu_batch_size(free_on_card(16), Precision::kFp32, 224, 224), kGpuDefaultBatchSize);
  int previous = 0;
  for (const size_t gb : kCardGigabytes) {
    const int batch = auto_gpu_batch_size(free_on_card(gb), Precision::kFp32, 500, 375);
    EXPECT_GE(batch, previous) << gb << " GB";
    previous = batch;
  }
  EXPECT_LT(auto_gpu_batch_size(free_on_card(16), Precision::kFp32, 500, 375), kGpuDefaultBatchSize)
      << "16 GB cannot hold 128 full-size fp32 images by the estimate";
  EXPECT_GT(auto_gpu_batch_size(free_on_card(16), Precision::kBf16, 500, 375),
            auto_gpu_batch_size(free_on_card(16), Precision::kFp32, 500, 375))
      << "half the bytes, more images";
}

TEST(DeviceMemory, ASixteenGigabyteCardStillRunsALargeFullSizeImage) {
  // A 1000x800 image in fp32 fits a 16 GB card by the estimate: it runs, in a batch of its own or more.
  const int batch = auto_gpu_batch_size(free_on_card(16), Precision::kFp32, 1000, 800);
  EXPECT_GE(batch, 1);
  EXPECT_LE(bytes_per_image(Precision::kFp32, 1000, 800), free_on_card(16) / 10 * 8);
  // An image that cannot fit even alone still gets a batch of 1: it is tried, and if the device runs out of
  // memory the stylizer skips it with "too large for the device" (stylizer.cpp), never the run.
  EXPECT_EQ(batch_for_memory(free_on_card(16), 100 * kGiB, 128), 1);
  EXPECT_EQ(batch_for_memory(0, 1, 128), 1);
}

TEST(DeviceMemory, BatchForMemoryNeverExceedsTheRequest) {
  EXPECT_EQ(batch_for_memory(free_on_card(141), 1, 7), 7);
  EXPECT_EQ(batch_for_memory(free_on_card(141), 1, 0), 1) << "a request below 1 still runs one";
  EXPECT_EQ(batch_for_memory(1000, 100, 128), 8) << "80% of 1000 bytes at 100 bytes an image";
}

}  // namespace
}  // namespace sinforge
