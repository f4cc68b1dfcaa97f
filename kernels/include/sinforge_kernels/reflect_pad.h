// The network's glue between convolutions in one pass (NHWC): ReLU, nearest x2 upsampling and the reflection
// padding of 1 that every 3x3 convolution reads, fused. Eager LibTorch runs them as separate memory-bound
// kernels, and its reflection pad is slow on channels-last tensors; here the previous convolution's output is
// read once and the next one's padded input written once. Plain pointers, a shape and a stream; no LibTorch.
//
// For x of N x H x W x C (NHWC, contiguous), with H' = 2H, W' = 2W when upsampling (else H, W), y is
// N x (H' + 2) x (W' + 2) x C with
//   y[n, i, j, c] = f(x[n, src(i - 1, H'), src(j - 1, W'), c]),   src(k, L) = reflect(k, L) (/ 2 if
//   upsampling) reflect(k, L) = -k for k < 0, 2L - 2 - k for k >= L, else k;   f = max(., 0) with relu, else
//   identity.
// ReLU commutes with max pooling and with the copy of a value, so relu-then-pool-then-pad equals
// pool-then-(relu+pad) exactly; the network uses that to fuse the ReLU here.
#pragma once

#include <cstdint>

#include "sinforge_kernels/adain.h"  // ElementType, cuda_runtime_api.h
#include "sinforge_kernels/reflect_pad_index.h"

namespace sinforge::kernels {

// Needs H', W' >= 2 (the reflection needs two positions).
cudaError_t launch_reflect_pad1(const void* x, void* y, ElementType type, PadShape shape,
                                cudaStream_t stream);

}  // namespace sinforge::kernels
