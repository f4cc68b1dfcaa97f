// The AdaIN kernels' scalar arithmetic, compiled for the device (adain.cu) and for the host (the tests run
// exactly this code on the CPU): the Welford state and Chan's merge, and the per-plane affine map
// y = x * scale + shift. Plain floats, nothing else.
//
// Precision: in fp32 the map's error is a few ulp of |x * scale| and |shift|, not of |y|. Where a plane's
// std is small beside its mean (gain = style_std / std large), |x * scale| and |shift| are both about
// |mean| * gain while y is of the order of style_std: the error relative to y grows with |mean| / std.
// That is inherent to holding the mean in fp32 (its rounding alone, times gain, is as large), so any fp32
// kernel shares it; the CPU reference computes in double and does not. Tests bound the error by
// kMapUlps ulp of those terms (adain_map_error_bound), not by a fixed fraction of y. The same holds where
// style_mean and mean * gain nearly cancel in shift.
#pragma once

#ifdef __CUDACC__
#define SINFORGE_HD __host__ __device__ __forceinline__
#else
#define SINFORGE_HD inline
#include <cmath>
#endif

namespace sinforge::kernels {

// Count, mean and sum of squared deviations (M2). Plain data: it lives in shared and global memory.
struct Welford {
  float count;
  float mean;
  float m2;
};

SINFORGE_HD Welford empty_welford() { return Welford{0.f, 0.f, 0.f}; }

// Chan et al.'s merge of two partial states.
SINFORGE_HD void merge(Welford& a, const Welford& b) {
  if (b.count == 0.f) return;
  if (a.count == 0.f) {
    a = b;
    return;
  }
  const float total = a.count + b.count;
  const float delta = b.mean - a.mean;
  const float w = b.count / total;
  a.mean += delta * w;
  a.m2 += b.m2 + delta * delta * a.count * w;
  a.count = total;
}

// K values at once: their own mean and deviations (exact enough: K is small), then one merge.
template <int K>
SINFORGE_HD void add_values(Welford& w, const float (&v)[K]) {
  float sum = 0.f;
  for (int k = 0; k < K; ++k) sum += v[k];
  const float mean = sum * (1.f / K);
  float m2 = 0.f;
  for (int k = 0; k < K; ++k) {
    const float d = v[k] - mean;
    m2 += d * d;
  }
  merge(w, Welford{static_cast<float>(K), mean, m2});
}

SINFORGE_HD void add_value(Welford& w, float v) {
  const float values[1] = {v};
  add_values<1>(w, values);
}

// std = sqrt(unbiased var + eps); HW == 1: 0/0 = NaN, as in the reference.
SINFORGE_HD float plane_std(const Welford& w, float eps) { return sqrtf(w.m2 / (w.count - 1.f) + eps); }

struct AffineMap {
  float scale;
  float shift;
};

// y = alpha * ((x - mean) * gain + style_mean) + (1 - alpha) * x = x * scale + shift, gain = style_std / sd:
// one fused multiply-add per element, the least work for a memory-bound kernel.
SINFORGE_HD AffineMap adain_map(float mean, float sd, float style_mean, float style_std, float alpha) {
  const float gain = style_std / sd;
  return AffineMap{alpha * gain + (1.f - alpha), alpha * (style_mean - mean * gain)};
}

SINFORGE_HD float apply_map(const AffineMap& m, float x) { return fmaf(x, m.scale, m.shift); }

// The error an fp32 evaluation may make for one element: kMapUlps ulp of the magnitudes the map adds before
// any cancellation, |x * scale| and alpha * (|style_mean| + |mean| * gain), which also covers the rounding
// of the plane's mean and std (see the top). Host code (tests) calls it with the exact statistics.
constexpr float kMapUlps = 8.f;
SINFORGE_HD float adain_map_error_bound(float x, float mean, float sd, float style_mean, float style_std,
                                        float alpha) {
  constexpr float kEps = 1.1920929e-7f;  // FLT_EPSILON
  const float gain = style_std / sd;
  const float scale = alpha * gain + (1.f - alpha);
  return kMapUlps * kEps * (fabsf(x * scale) + alpha * (fabsf(style_mean) + fabsf(mean) * gain));
}

}  // namespace sinforge::kernels

#undef SINFORGE_HD
