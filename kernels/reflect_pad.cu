// Fused ReLU + nearest x2 upsampling + reflection padding of 1, NHWC (see the header). One thread per 16-byte
// pack of channels where C allows it (every layer but the 3-channel input), else per element; consecutive
// threads take consecutive channels, so loads and stores are coalesced.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "sinforge_kernels/reflect_pad.h"

namespace sinforge::kernels {
namespace {

constexpr int kThreads = 256;

template <typename T>
__device__ __forceinline__ T relu_of(T v) {
  return static_cast<float>(v) > 0.f ? v : T(0.f);  // exact: a value or zero, no rounding
}

// V: the unit a thread moves (T itself, or a 16-byte uint4 of 16 / sizeof(T) elements).
template <typename T, typename V>
__global__ void __launch_bounds__(kThreads)
    reflect_pad1(const V* x, V* y, PadShape s, int64_t units_per_pixel) {
  const int64_t out_h = (s.upsample2 ? 2 * s.h : s.h) + 2, out_w = (s.upsample2 ? 2 * s.w : s.w) + 2;
  const int64_t total = s.n * out_h * out_w * units_per_pixel;
  for (int64_t t = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; t < total;
       t += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t unit = t % units_per_pixel;
    int64_t rest = t / units_per_pixel;
    const int64_t j = rest % out_w;
    rest /= out_w;
    const int64_t i = rest % out_h;
    const int64_t n = rest / out_h;
    const int64_t si = reflect_source(i, out_h - 2, s.upsample2),
                  sj = reflect_source(j, out_w - 2, s.upsample2);
    V v = x[((n * s.h + si) * s.w + sj) * units_per_pixel + unit];
    if (s.relu) {
      T* e = reinterpret_cast<T*>(&v);
#pragma unroll
      for (int k = 0; k < static_cast<int>(sizeof(V) / sizeof(T)); ++k) e[k] = relu_of(e[k]);
    }
    y[t] = v;
  }
}

template <typename T>
cudaError_t launch_typed(const void* x, void* y, PadShape s, cudaStream_t stream) {
  constexpr int64_t kPack = 16 / sizeof(T);
  const bool packed = s.c % kPack == 0 && reinterpret_cast<uintptr_t>(x) % 16 == 0 &&
                      reinterpret_cast<uintptr_t>(y) % 16 == 0;
  const int64_t units = packed ? s.c / kPack : s.c;
  const int64_t out = s.n * ((s.upsample2 ? 2 * s.h : s.h) + 2) * ((s.upsample2 ? 2 * s.w : s.w) + 2) * units;
  const int64_t blocks = (out + kThreads - 1) / kThreads;
  const unsigned grid = static_cast<unsigned>(blocks < 65535 * 32 ? blocks : 65535 * 32);
  if (packed) {
    reflect_pad1<T, uint4>
        <<<grid, kThreads, 0, stream>>>(static_cast<const uint4*>(x), static_cast<uint4*>(y), s, units);
  } else {
    reflect_pad1<T, T><<<grid, kThreads, 0, stream>>>(static_cast<const T*>(x), static_cast<T*>(y), s, units);
  }
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_reflect_pad1(const void* x, void* y, ElementType type, PadShape shape,
                                cudaStream_t stream) {
  const int64_t h = shape.upsample2 ? 2 * shape.h : shape.h, w = shape.upsample2 ? 2 * shape.w : shape.w;
  if (shape.n < 1 || shape.c < 1 || h < 2 || w < 2) return cudaErrorInvalidValue;
  if (shape.n * (h + 2) * (w + 2) * shape.c == 0) return cudaSuccess;
  switch (type) {
    case ElementType::kFloat32:
      return launch_typed<float>(x, y, shape, stream);
    case ElementType::kFloat16:
      return launch_typed<__half>(x, y, shape, stream);
    case ElementType::kBFloat16:
      return launch_typed<__nv_bfloat16>(x, y, shape, stream);
  }
  return cudaErrorInvalidValue;
}

}  // namespace sinforge::kernels
