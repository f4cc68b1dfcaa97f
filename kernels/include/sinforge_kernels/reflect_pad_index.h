// The index rule of the fused ReLU + upsample + reflection pad (reflect_pad.h), plain C++ so that the CPU
// path and the tests use the rule the kernel uses.
#pragma once

#include <cstdint>

namespace sinforge::kernels {

struct PadShape {
  int64_t n = 0, h = 0, w = 0, c = 0;  // of the input
  bool upsample2 = false;
  bool relu = false;
};

#ifdef __CUDACC__
#define SINFORGE_PAD_HD __host__ __device__ __forceinline__
#else
#define SINFORGE_PAD_HD inline
#endif

// The input row (or column) that output row i of the padded tensor reads; L is the unpadded output length.
SINFORGE_PAD_HD int64_t reflect_source(int64_t i, int64_t length, bool upsample2) {
  int64_t k = i - 1;
  if (k < 0) k = -k;
  if (k >= length) k = 2 * length - 2 - k;
  return upsample2 ? k / 2 : k;
}

#undef SINFORGE_PAD_HD

}  // namespace sinforge::kernels
