// AdaIN kernels (see the header for the mathematics and the split of large planes).
// NCHW: one block per (channel, sample[, chunk]), 16-byte loads and stores when the plane allows them.
// NHWC: one block per (32 channels, sample[, chunk]) so that neighbouring threads read neighbouring channels.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "sinforge_kernels/adain.h"
#include "sinforge_kernels/adain_math.h"

namespace sinforge::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarp = 32;
constexpr int kRows = kThreads / kWarp;  // NHWC: positions walked in parallel per block
// Planes are split only when they are large and too few to fill the GPU (an H100 has 132 SMs).
constexpr int64_t kSplitMinHw = 32768;
constexpr int64_t kTargetBlocks = 528;
constexpr int64_t kMaxChunks = 64;
constexpr int64_t kChunkAlign = 16;  // chunk starts stay 16-byte aligned for every element type

template <typename T>
__device__ __forceinline__ float to_float(T v);
template <>
__device__ __forceinline__ float to_float<float>(float v) {
  return v;
}
template <>
__device__ __forceinline__ float to_float<__half>(__half v) {
  return __half2float(v);
}
template <>
__device__ __forceinline__ float to_float<__nv_bfloat16>(__nv_bfloat16 v) {
  return __bfloat162float(v);
}

template <typename T>
__device__ __forceinline__ T from_float(float v);
template <>
__device__ __forceinline__ float from_float<float>(float v) {
  return v;
}
template <>
__device__ __forceinline__ __half from_float<__half>(float v) {
  return __float2half_rn(v);
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}

__device__ __forceinline__ Welford shuffle_down(const Welford& w, int offset) {
  return Welford{__shfl_down_sync(0xffffffffu, w.count, offset),
                 __shfl_down_sync(0xffffffffu, w.mean, offset), __shfl_down_sync(0xffffffffu, w.m2, offset)};
}

// Reduces one Welford per thread of a 1-D block of kThreads; thread 0 gets the total.
__device__ Welford block_reduce(Welford w) {
  __shared__ Welford partial[kThreads / kWarp];
  for (int offset = kWarp / 2; offset > 0; offset /= 2) merge(w, shuffle_down(w, offset));
  const int lane = threadIdx.x % kWarp;
  const int warp = threadIdx.x / kWarp;
  if (lane == 0) partial[warp] = w;
  __syncthreads();
  if (warp == 0) {
    w = lane < kThreads / kWarp ? partial[lane] : empty_welford();
    for (int offset = kWarp / 2; offset > 0; offset /= 2) merge(w, shuffle_down(w, offset));
  }
  return w;
}

enum class Phase { kFused, kPartial, kFinish };

struct Args {
  const void* x;
  void* y;
  int64_t channels;
  int64_t hw;
  int64_t chunk_len;  // positions per block; hw when planes are not split
  int64_t chunks;
  const float* style_mean;
  const float* style_std;
  const int64_t* style_index;
  float alpha;
  float eps;
  bool stats_only;
  float* mean_out;
  float* std_out;
  Welford* partials;  // [N*C x chunks] when split
};

// From a plane's statistics: either the outputs of channel_stats, or the affine map's scale and shift.
__device__ __forceinline__ void finish_plane(const Args& a, int64_t n, int64_t c, const Welford& w,
                                             float* scale, float* shift) {
  const float sd = plane_std(w, a.eps);
  const int64_t plane = n * a.channels + c;
  if (a.stats_only) {
    a.mean_out[plane] = w.mean;
    a.std_out[plane] = sd;
    return;
  }
  const int64_t s = (a.style_index != nullptr ? a.style_index[n] : n) * a.channels + c;
  const AffineMap map = adain_map(w.mean, sd, a.style_mean[s], a.style_std[s], a.alpha);
  *scale = map.scale;
  *shift = map.shift;
}

__device__ __forceinline__ Welford merged_partials(const Args& a, int64_t plane) {
  Welford w = empty_welford();
  for (int64_t k = 0; k < a.chunks; ++k) merge(w, a.partials[plane * a.chunks + k]);
  return w;
}

// A 16-byte pack of elements.
template <typename T>
struct Pack {
  static constexpr int kSize = 16 / sizeof(T);
  alignas(16) T v[kSize];
};

// NCHW: this thread's share of [begin, end) of one plane.
template <typename T, bool kVec>
__device__ Welford reduce_plane_range(const T* x, int64_t begin, int64_t end) {
  Welford w = empty_welford();
  if constexpr (kVec) {
    constexpr int K = Pack<T>::kSize;
    const uint4* p = reinterpret_cast<const uint4*>(x + begin);
    const int64_t packs = (end - begin) / K;
    for (int64_t i = threadIdx.x; i < packs; i += kThreads) {
      Pack<T> pack;
      *reinterpret_cast<uint4*>(pack.v) = __ldg(p + i);
      float v[K];
#pragma unroll
      for (int k = 0; k < K; ++k) v[k] = to_float(pack.v[k]);
      add_values<K>(w, v);
    }
  } else {
    for (int64_t i = begin + threadIdx.x; i < end; i += kThreads) add_value(w, to_float(x[i]));
  }
  return w;
}

template <typename T, bool kVec>
__device__ void apply_plane_range(const T* x, T* y, int64_t begin, int64_t end, float scale, float shift) {
  if constexpr (kVec) {
    constexpr int K = Pack<T>::kSize;
    const uint4* in = reinterpret_cast<const uint4*>(x + begin);
    uint4* out = reinterpret_cast<uint4*>(y + begin);
    const int64_t packs = (end - begin) / K;
    for (int64_t i = threadIdx.x; i < packs; i += kThreads) {
      Pack<T> pack;
      *reinterpret_cast<uint4*>(pack.v) = in[i];
#pragma unroll
      for (int k = 0; k < K; ++k) pack.v[k] = from_float<T>(apply_map({scale, shift}, to_float(pack.v[k])));
      out[i] = *reinterpret_cast<const uint4*>(pack.v);
    }
  } else {
    for (int64_t i = begin + threadIdx.x; i < end; i += kThreads)
      y[i] = from_float<T>(apply_map({scale, shift}, to_float(x[i])));
  }
}

// NCHW: block (c, n, chunk).
template <typename T, bool kVec, Phase kPhase>
__global__ void __launch_bounds__(kThreads) adain_nchw(Args a) {
  const int64_t n = blockIdx.y, c = blockIdx.x, chunk = blockIdx.z;
  const int64_t plane = n * a.channels + c;
  const T* x = static_cast<const T*>(a.x) + plane * a.hw;
  const int64_t begin = chunk * a.chunk_len;
  const int64_t end = begin + a.chunk_len < a.hw ? begin + a.chunk_len : a.hw;
  __shared__ float coef[2];
  if constexpr (kPhase == Phase::kFinish) {
    if (threadIdx.x == 0 && !(a.stats_only && chunk != 0))
      finish_plane(a, n, c, merged_partials(a, plane), &coef[0], &coef[1]);
  } else {
    const Welford w = block_reduce(reduce_plane_range<T, kVec>(x, begin, end));
    if (threadIdx.x == 0) {
      if constexpr (kPhase == Phase::kPartial) {
        a.partials[plane * a.chunks + chunk] = w;
      } else {
        finish_plane(a, n, c, w, &coef[0], &coef[1]);
      }
    }
  }
  if (kPhase == Phase::kPartial || a.stats_only) return;
  __syncthreads();
  apply_plane_range<T, kVec>(x, static_cast<T*>(a.y) + plane * a.hw, begin, end, coef[0], coef[1]);
}

// NHWC: block (group of 32 channels, n, chunk); threadIdx.x is the channel lane, threadIdx.y walks positions,
// four at a time so that four loads are in flight before the first use.
template <typename T, Phase kPhase>
__global__ void __launch_bounds__(kThreads) adain_nhwc(Args a) {
  const int64_t n = blockIdx.y, chunk = blockIdx.z;
  const int64_t c = blockIdx.x * kWarp + threadIdx.x;
  const bool active = c < a.channels;
  const int64_t plane = n * a.channels + c;
  const T* x = static_cast<const T*>(a.x) + n * a.hw * a.channels;
  const int64_t begin = chunk * a.chunk_len;
  const int64_t end = begin + a.chunk_len < a.hw ? begin + a.chunk_len : a.hw;
  __shared__ float scale[kWarp], shift[kWarp];
  if constexpr (kPhase == Phase::kFinish) {
    if (threadIdx.y == 0 && active && !(a.stats_only && chunk != 0))
      finish_plane(a, n, c, merged_partials(a, plane), &scale[threadIdx.x], &shift[threadIdx.x]);
  } else {
    __shared__ Welford partial[kRows][kWarp];
    Welford w = empty_welford();
    if (active) {
      constexpr int K = 4;
      int64_t p = begin + threadIdx.y;
      for (; p + (K - 1) * kRows < end; p += K * kRows) {
        float v[K];
#pragma unroll
        for (int k = 0; k < K; ++k) v[k] = to_float(x[(p + k * kRows) * a.channels + c]);
        add_values<K>(w, v);
      }
      for (; p < end; p += kRows) add_value(w, to_float(x[p * a.channels + c]));
    }
    partial[threadIdx.y][threadIdx.x] = w;
    __syncthreads();
    if (threadIdx.y == 0 && active) {
      Welford total = empty_welford();
      for (int r = 0; r < kRows; ++r) merge(total, partial[r][threadIdx.x]);
      if constexpr (kPhase == Phase::kPartial) {
        a.partials[plane * a.chunks + chunk] = total;
      } else {
        finish_plane(a, n, c, total, &scale[threadIdx.x], &shift[threadIdx.x]);
      }
    }
  }
  if (kPhase == Phase::kPartial || a.stats_only) return;
  __syncthreads();
  if (!active) return;
  T* y = static_cast<T*>(a.y) + n * a.hw * a.channels;
  for (int64_t p = begin + threadIdx.y; p < end; p += kRows) {
    const int64_t i = p * a.channels + c;
    y[i] = from_float<T>(apply_map({scale[threadIdx.x], shift[threadIdx.x]}, to_float(x[i])));
  }
}

struct Split {
  int64_t chunks = 1;
  int64_t chunk_len = 0;
};

Split plan_split(Layout layout, FeatureShape s) {
  const int64_t groups = layout == Layout::kNCHW ? s.c : (s.c + kWarp - 1) / kWarp;
  const int64_t blocks = s.n * groups;
  Split split{1, s.hw};
  if (s.hw < kSplitMinHw || blocks >= kTargetBlocks) return split;
  int64_t chunks = (kTargetBlocks + blocks - 1) / blocks;
  chunks = chunks < kMaxChunks ? chunks : kMaxChunks;
  const int64_t by_size = s.hw / (kSplitMinHw / 4);  // each chunk keeps at least 8192 positions
  chunks = chunks < by_size ? chunks : by_size;
  if (chunks <= 1) return split;
  int64_t len = (s.hw + chunks - 1) / chunks;
  len = (len + kChunkAlign - 1) / kChunkAlign * kChunkAlign;
  split.chunk_len = len;
  split.chunks = (s.hw + len - 1) / len;
  return split;
}

bool aligned16(const void* p) { return p == nullptr || reinterpret_cast<uintptr_t>(p) % 16 == 0; }

template <typename T, bool kVec>
void launch_nchw(const Args& a, dim3 grid, Phase phase, cudaStream_t stream) {
  switch (phase) {
    case Phase::kFused:
      adain_nchw<T, kVec, Phase::kFused><<<grid, kThreads, 0, stream>>>(a);
      break;
    case Phase::kPartial:
      adain_nchw<T, kVec, Phase::kPartial><<<grid, kThreads, 0, stream>>>(a);
      break;
    case Phase::kFinish:
      adain_nchw<T, kVec, Phase::kFinish><<<grid, kThreads, 0, stream>>>(a);
      break;
  }
}

template <typename T>
void launch_nhwc(const Args& a, dim3 grid, Phase phase, cudaStream_t stream) {
  const dim3 block(kWarp, kRows);
  switch (phase) {
    case Phase::kFused:
      adain_nhwc<T, Phase::kFused><<<grid, block, 0, stream>>>(a);
      break;
    case Phase::kPartial:
      adain_nhwc<T, Phase::kPartial><<<grid, block, 0, stream>>>(a);
      break;
    case Phase::kFinish:
      adain_nhwc<T, Phase::kFinish><<<grid, block, 0, stream>>>(a);
      break;
  }
}

template <typename T>
cudaError_t dispatch_layout(Args a, Layout layout, FeatureShape shape, cudaStream_t stream) {
  if (shape.n == 0 || shape.c == 0) return cudaSuccess;
  if (shape.n > 65535 || shape.c > 65535 * static_cast<int64_t>(kWarp)) return cudaErrorInvalidValue;
  const Split split = plan_split(layout, shape);
  if (split.chunks > 1 && a.partials == nullptr) return cudaErrorInvalidValue;
  a.chunks = split.chunks;
  a.chunk_len = split.chunk_len;
  const auto chunks = static_cast<unsigned>(split.chunks);
  const auto samples = static_cast<unsigned>(shape.n);
  if (layout == Layout::kNCHW) {
    const dim3 grid(static_cast<unsigned>(shape.c), samples, chunks);
    // 16-byte packs when every plane (and chunk) starts on a 16-byte boundary.
    const bool vec = shape.hw % Pack<T>::kSize == 0 && aligned16(a.x) && aligned16(a.y);
    const auto run = vec ? launch_nchw<T, true> : launch_nchw<T, false>;
    if (split.chunks == 1) {
      run(a, grid, Phase::kFused, stream);
    } else {
      run(a, grid, Phase::kPartial, stream);
      run(a, grid, Phase::kFinish, stream);
    }
  } else {
    const dim3 grid(static_cast<unsigned>((shape.c + kWarp - 1) / kWarp), samples, chunks);
    if (split.chunks == 1) {
      launch_nhwc<T>(a, grid, Phase::kFused, stream);
    } else {
      launch_nhwc<T>(a, grid, Phase::kPartial, stream);
      launch_nhwc<T>(a, grid, Phase::kFinish, stream);
    }
  }
  return cudaGetLastError();
}

cudaError_t dispatch(const Args& a, ElementType type, Layout layout, FeatureShape shape,
                     cudaStream_t stream) {
  switch (type) {
    case ElementType::kFloat32:
      return dispatch_layout<float>(a, layout, shape, stream);
    case ElementType::kFloat16:
      return dispatch_layout<__half>(a, layout, shape, stream);
    case ElementType::kBFloat16:
      return dispatch_layout<__nv_bfloat16>(a, layout, shape, stream);
  }
  return cudaErrorInvalidValue;
}

}  // namespace

size_t adain_workspace_bytes(Layout layout, FeatureShape shape) {
  const Split split = plan_split(layout, shape);
  if (split.chunks <= 1) return 0;
  return static_cast<size_t>(shape.n * shape.c * split.chunks) * sizeof(Welford);
}

static Args make_args(const void* x, void* y, FeatureShape shape, float eps, void* workspace) {
  Args a{};
  a.x = x;
  a.y = y;
  a.channels = shape.c;
  a.hw = shape.hw;
  a.eps = eps;
  a.alpha = 1.f;
  a.partials = static_cast<Welford*>(workspace);
  return a;
}

cudaError_t launch_adain(const void* x, void* y, ElementType type, Layout layout, FeatureShape shape,
                         const float* style_mean, const float* style_std, const int64_t* style_index,
                         float alpha, float eps, void* workspace, cudaStream_t stream) {
  Args a = make_args(x, y, shape, eps, workspace);
  a.style_mean = style_mean;
  a.style_std = style_std;
  a.style_index = style_index;
  a.alpha = alpha;
  return dispatch(a, type, layout, shape, stream);
}

cudaError_t launch_channel_stats(const void* x, ElementType type, Layout layout, FeatureShape shape,
                                 float eps, float* mean_out, float* std_out, void* workspace,
                                 cudaStream_t stream) {
  Args a = make_args(x, nullptr, shape, eps, workspace);
  a.stats_only = true;
  a.mean_out = mean_out;
  a.std_out = std_out;
  return dispatch(a, type, layout, shape, stream);
}

}  // namespace sinforge::kernels
