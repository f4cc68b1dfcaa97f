// AdaIN kernels. One thread block per (sample, channel) for NCHW; one block per (sample, 32 channels) for
// NHWC so that neighbouring threads read neighbouring channels. Both reduce with Welford's update in fp32.
#include "sinforge_kernels/adain.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace sinforge::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarp = 32;

template <typename T>
__device__ __forceinline__ float load(const T* p, int64_t i);
template <>
__device__ __forceinline__ float load<float>(const float* p, int64_t i) {
  return p[i];
}
template <>
__device__ __forceinline__ float load<__half>(const __half* p, int64_t i) {
  return __half2float(p[i]);
}
template <>
__device__ __forceinline__ float load<__nv_bfloat16>(const __nv_bfloat16* p, int64_t i) {
  return __bfloat162float(p[i]);
}

template <typename T>
__device__ __forceinline__ T store_cast(float v);
template <>
__device__ __forceinline__ float store_cast<float>(float v) {
  return v;
}
template <>
__device__ __forceinline__ __half store_cast<__half>(float v) {
  return __float2half_rn(v);
}
template <>
__device__ __forceinline__ __nv_bfloat16 store_cast<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}

// Running count, mean and sum of squared deviations (M2).
struct Welford {
  float count = 0.f;
  float mean = 0.f;
  float m2 = 0.f;

  __device__ void add(float v) {
    count += 1.f;
    const float delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  __device__ void merge(const Welford& o) {
    if (o.count == 0.f) return;
    if (count == 0.f) {
      *this = o;
      return;
    }
    const float total = count + o.count;
    const float delta = o.mean - mean;
    const float w = o.count / total;
    mean += delta * w;
    m2 += o.m2 + delta * delta * count * w;
    count = total;
  }
};

__device__ Welford shuffle_down(const Welford& w, int offset) {
  Welford o;
  o.count = __shfl_down_sync(0xffffffffu, w.count, offset);
  o.mean = __shfl_down_sync(0xffffffffu, w.mean, offset);
  o.m2 = __shfl_down_sync(0xffffffffu, w.m2, offset);
  return o;
}

// Reduces one Welford per thread of a 1-D block; thread 0 gets the total.
__device__ Welford block_reduce(Welford w) {
  __shared__ Welford partial[kThreads / kWarp];
  for (int offset = kWarp / 2; offset > 0; offset /= 2) w.merge(shuffle_down(w, offset));
  const int lane = threadIdx.x % kWarp;
  const int warp = threadIdx.x / kWarp;
  if (lane == 0) partial[warp] = w;
  __syncthreads();
  if (warp == 0) {
    w = lane < kThreads / kWarp ? partial[lane] : Welford{};
    for (int offset = kWarp / 2; offset > 0; offset /= 2) w.merge(shuffle_down(w, offset));
  }
  return w;
}

__device__ __forceinline__ float std_of(const Welford& w, float eps) {
  return sqrtf(w.m2 / (w.count - 1.f) + eps);  // HW == 1: 0/0 = NaN, as in the reference
}

// NCHW: block (c, n). Reduce, then map with the statistics kept in shared memory.
template <typename T>
__global__ void adain_nchw(const T* x, T* y, int64_t channels, int64_t hw, const float* style_mean,
                           const float* style_std, const int64_t* style_index, float alpha, float eps,
                           bool stats_only, float* mean_out, float* std_out) {
  const int64_t n = blockIdx.y;
  const int64_t c = blockIdx.x;
  const int64_t base = (n * channels + c) * hw;
  Welford w;
  for (int64_t i = threadIdx.x; i < hw; i += blockDim.x) w.add(load(x, base + i));
  w = block_reduce(w);
  __shared__ float scale, shift;
  if (threadIdx.x == 0) {
    const float sd = std_of(w, eps);
    if (stats_only) {
      mean_out[n * channels + c] = w.mean;
      std_out[n * channels + c] = sd;
    } else {
      const int64_t s = style_index != nullptr ? style_index[n] : n;
      const float a = style_std[s * channels + c] / sd;
      // y = alpha * ((x - mean) * a + m_s) + (1 - alpha) * x = x * (alpha * a + 1 - alpha) + alpha * (m_s -
      // mean * a)
      scale = alpha * a + (1.f - alpha);
      shift = alpha * (style_mean[s * channels + c] - w.mean * a);
    }
  }
  if (stats_only) return;
  __syncthreads();
  for (int64_t i = threadIdx.x; i < hw; i += blockDim.x)
    y[base + i] = store_cast<T>(load(x, base + i) * scale + shift);
}

// NHWC: block (channel group of 32, n); threadIdx.x is the channel lane, threadIdx.y walks positions.
template <typename T>
__global__ void adain_nhwc(const T* x, T* y, int64_t channels, int64_t hw, const float* style_mean,
                           const float* style_std, const int64_t* style_index, float alpha, float eps,
                           bool stats_only, float* mean_out, float* std_out) {
  constexpr int kRows = kThreads / kWarp;
  const int64_t n = blockIdx.y;
  const int64_t c = blockIdx.x * kWarp + threadIdx.x;
  const bool active = c < channels;
  const int64_t base = n * hw * channels;
  Welford w;
  if (active)
    for (int64_t p = threadIdx.y; p < hw; p += kRows) w.add(load(x, base + p * channels + c));
  __shared__ Welford partial[kRows][kWarp];
  partial[threadIdx.y][threadIdx.x] = w;
  __syncthreads();
  __shared__ float scale[kWarp], shift[kWarp];
  if (threadIdx.y == 0 && active) {
    Welford total;
    for (int r = 0; r < kRows; ++r) total.merge(partial[r][threadIdx.x]);
    const float sd = std_of(total, eps);
    if (stats_only) {
      mean_out[n * channels + c] = total.mean;
      std_out[n * channels + c] = sd;
    } else {
      const int64_t s = style_index != nullptr ? style_index[n] : n;
      const float a = style_std[s * channels + c] / sd;
      scale[threadIdx.x] = alpha * a + (1.f - alpha);
      shift[threadIdx.x] = alpha * (style_mean[s * channels + c] - total.mean * a);
    }
  }
  if (stats_only) return;
  __syncthreads();
  if (!active) return;
  for (int64_t p = threadIdx.y; p < hw; p += kRows) {
    const int64_t i = base + p * channels + c;
    y[i] = store_cast<T>(load(x, i) * scale[threadIdx.x] + shift[threadIdx.x]);
  }
}

template <typename T>
cudaError_t dispatch_layout(const void* x, void* y, Layout layout, FeatureShape shape,
                            const float* style_mean, const float* style_std, const int64_t* style_index,
                            float alpha, float eps, bool stats_only, float* mean_out, float* std_out,
                            cudaStream_t stream) {
  if (shape.n == 0 || shape.c == 0) return cudaSuccess;
  const T* in = static_cast<const T*>(x);
  T* out = static_cast<T*>(y);
  if (layout == Layout::kNCHW) {
    const dim3 grid(static_cast<unsigned>(shape.c), static_cast<unsigned>(shape.n));
    adain_nchw<T><<<grid, kThreads, 0, stream>>>(in, out, shape.c, shape.hw, style_mean, style_std,
                                                 style_index, alpha, eps, stats_only, mean_out, std_out);
  } else {
    const dim3 grid(static_cast<unsigned>((shape.c + kWarp - 1) / kWarp), static_cast<unsigned>(shape.n));
    const dim3 block(kWarp, kThreads / kWarp);
    adain_nhwc<T><<<grid, block, 0, stream>>>(in, out, shape.c, shape.hw, style_mean, style_std, style_index,
                                              alpha, eps, stats_only, mean_out, std_out);
  }
  return cudaGetLastError();
}

cudaError_t dispatch(const void* x, void* y, ElementType type, Layout layout, FeatureShape shape,
                     const float* style_mean, const float* style_std, const int64_t* style_index, float alpha,
                     float eps, bool stats_only, float* mean_out, float* std_out, cudaStream_t stream) {
  switch (type) {
    case ElementType::kFloat32:
      return dispatch_layout<float>(x, y, layout, shape, style_mean, style_std, style_index, alpha, eps,
                                    stats_only, mean_out, std_out, stream);
    case ElementType::kFloat16:
      return dispatch_layout<__half>(x, y, layout, shape, style_mean, style_std, style_index, alpha, eps,
                                     stats_only, mean_out, std_out, stream);
    case ElementType::kBFloat16:
      return dispatch_layout<__nv_bfloat16>(x, y, layout, shape, style_mean, style_std, style_index, alpha,
                                            eps, stats_only, mean_out, std_out, stream);
  }
  return cudaErrorInvalidValue;
}

}  // namespace

cudaError_t launch_adain(const void* x, void* y, ElementType type, Layout layout, FeatureShape shape,
                         const float* style_mean, const float* style_std, const int64_t* style_index,
                         float alpha, float eps, cudaStream_t stream) {
  return dispatch(x, y, type, layout, shape, style_mean, style_std, style_index, alpha, eps, false, nullptr,
                  nullptr, stream);
}

cudaError_t launch_channel_stats(const void* x, ElementType type, Layout layout, FeatureShape shape,
                                 float eps, float* mean_out, float* std_out, cudaStream_t stream) {
  return dispatch(x, nullptr, type, layout, shape, nullptr, nullptr, nullptr, 1.f, eps, true, mean_out,
                  std_out, stream);
}

}  // namespace sinforge::kernels
