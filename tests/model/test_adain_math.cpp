// The AdaIN kernels' scalar arithmetic (kernels/include/sinforge_kernels/adain_math.h), run on the CPU: the
// same code the GPU runs. It answers issue 9's question about AdainCuda's fp32 failures (relative errors of
// 1.1e-5 and 2.2e-5 against a bound of 1e-5): the kernel is right and the bound was wrong. On planes whose
// std is small beside their mean, fp32 cannot do better than a few ulp of the terms the map adds (|x *
// scale|, alpha * |mean| * gain), which there are hundreds of times |y|; the GPU test now bounds the error
// by those terms.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "sinforge_kernels/adain_math.h"

namespace sinforge {
namespace {

using kernels::AffineMap;
using kernels::Welford;

constexpr float kEps = 1e-5f;  // AdaIN's epsilon

// One plane as the kernel reduces it when HW is small: one value per thread, merged pairwise.
Welford reduce_like_a_block(const std::vector<float>& v) {
  std::vector<Welford> states;
  for (float x : v) {
    Welford w = kernels::empty_welford();
    kernels::add_value(w, x);
    states.push_back(w);
  }
  for (size_t stride = 1; stride < states.size(); stride *= 2) {
    for (size_t i = 0; i + stride < states.size(); i += 2 * stride)
      kernels::merge(states[i], states[i + stride]);
  }
  return states[0];
}

struct Reference {
  std::vector<double> y;
  double mean = 0, sd = 0;
};

Reference adain_double(const std::vector<float>& v, double sm, double ss, double alpha) {
  double mean = 0;
  for (float x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double m2 = 0;
  for (float x : v) m2 += (x - mean) * (x - mean);
  const double sd = std::sqrt(m2 / static_cast<double>(v.size() - 1) + kEps);
  Reference r;
  r.mean = mean;
  r.sd = sd;
  for (float x : v) r.y.push_back(alpha * ((x - mean) / sd * ss + sm) + (1 - alpha) * x);
  return r;
}

struct PlaneErrors {
  double worst_ratio_to_bound = 0;  // max |y - ref| / adain_map_error_bound: <= 1 passes
  double relative_to_output = 0;    // max |y - ref| / max |ref|: the old test's measure
};

PlaneErrors plane_errors(const std::vector<float>& v, float sm, float ss, float alpha) {
  const Welford w = reduce_like_a_block(v);
  const AffineMap map = kernels::adain_map(w.mean, kernels::plane_std(w, kEps), sm, ss, alpha);
  const Reference ref = adain_double(v, sm, ss, alpha);
  PlaneErrors e;
  double err_max = 0, ref_max = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const double err = std::abs(static_cast<double>(kernels::apply_map(map, v[i])) - ref.y[i]);
    // The reference rounded to fp32 is as far as an exact kernel could get: half an ulp of y more.
    const double bound = kernels::adain_map_error_bound(v[i], static_cast<float>(ref.mean),
                                                        static_cast<float>(ref.sd), sm, ss, alpha) +
                         0.5 * 1.2e-7 * std::abs(ref.y[i]);
    e.worst_ratio_to_bound = std::max(e.worst_ratio_to_bound, err / bound);
    err_max = std::max(err_max, err);
    ref_max = std::max(ref_max, std::abs(ref.y[i]));
  }
  e.relative_to_output = err_max / ref_max;
  return e;
}

TEST(AdainMath, ATightPlaneFarFromZeroCannotMeetABoundRelativeToTheOutput) {
  // Two positions 1e-4 apart around 5 (AdainCuda's inputs are randn * 2 + 5, and its 256x3x1x2 shape has
  // 768 such two-position planes): std = sqrt(var + eps) ~ 3.2e-3, gain ~ 300, |x * scale| ~ 1200 while y
  // is about 1.
  const PlaneErrors e = plane_errors({5.0f, 5.0001f}, 0.3f, 1.0f, 0.8f);
  EXPECT_GT(e.relative_to_output, 1e-5) << "the old fixed bound fails here for any fp32 kernel";
  EXPECT_LE(e.worst_ratio_to_bound, 1.0) << "the term-wise bound holds";
}

TEST(AdainMath, RandomPlanesStayWithinTheTermWiseBound) {
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::uniform_real_distribution<float> unit(0.f, 1.f);
  std::uniform_int_distribution<int> hw(2, 5000);
  double worst = 0;
  for (int plane = 0; plane < 600; ++plane) {
    const float spread = plane % 3 == 0 ? 1e-3f : 2.f;  // a third of the planes tight around their mean
    std::vector<float> v(static_cast<size_t>(hw(rng)));
    for (float& x : v) x = 5.f + spread * normal(rng);
    const PlaneErrors e = plane_errors(v, normal(rng), unit(rng) + 0.1f, unit(rng));
    worst = std::max(worst, e.worst_ratio_to_bound);
  }
  EXPECT_LE(worst, 1.0);
  EXPECT_GT(worst, 0.01) << "a bound far above every error would test nothing";
}

TEST(AdainMath, WelfordMergesKeepTheStatisticsOfLargeOffsetPlanes) {
  std::mt19937 rng(6);
  std::normal_distribution<float> normal(1000.f, 1.f);
  std::vector<float> v(1 << 16);
  for (float& x : v) x = normal(rng);
  // As the NCHW kernel does: packs of 4 per thread, then the threads' states merged.
  std::vector<Welford> threads(256, kernels::empty_welford());
  for (size_t i = 0; i + 4 <= v.size(); i += 4) {
    const float pack[4] = {v[i], v[i + 1], v[i + 2], v[i + 3]};
    kernels::add_values<4>(threads[(i / 4) % threads.size()], pack);
  }
  Welford w = kernels::empty_welford();
  for (const Welford& t : threads) kernels::merge(w, t);
  double mean = 0;
  for (float x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double m2 = 0;
  for (float x : v) m2 += (x - mean) * (x - mean);
  EXPECT_EQ(w.count, static_cast<float>(v.size()));
  EXPECT_NEAR(w.mean, mean, 1e-6 * mean);
  EXPECT_NEAR(w.m2, m2, 1e-4 * m2)
      << "no sum of squares: the variance keeps its digits beside a mean of 1000";
}

}  // namespace
}  // namespace sinforge
