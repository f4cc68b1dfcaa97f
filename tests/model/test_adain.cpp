// AdaIN against a double-precision loop written here from the definition, on random shapes; and the CUDA
// kernel against the CPU path where a GPU exists.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sinforge/model/ops/adain.h"
#include "sinforge_kernels/adain_math.h"

#ifdef SINFORGE_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>

#include "sinforge_kernels/adain.h"
#endif

namespace sinforge {
namespace {

// The definition, straight: per (n, c) mean, unbiased variance, std = sqrt(var + 1e-5), affine map, blend.
at::Tensor adain_definition(const at::Tensor& x, const at::Tensor& sm, const at::Tensor& ss,
                            const at::Tensor& index, double alpha) {
  const at::Tensor xd = x.to(at::kDouble).contiguous();
  at::Tensor y = at::empty_like(xd);
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  const double* in = xd.const_data_ptr<double>();
  double* out = y.mutable_data_ptr<double>();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = index[i].item<int64_t>();
    for (int64_t ch = 0; ch < c; ++ch) {
      const double* p = in + (i * c + ch) * hw;
      double mean = 0;
      for (int64_t k = 0; k < hw; ++k) mean += p[k];
      mean /= hw;
      double var = 0;
      for (int64_t k = 0; k < hw; ++k) var += (p[k] - mean) * (p[k] - mean);
      var /= (hw - 1);
      const double sd = std::sqrt(var + 1e-5);
      const double m_s = sm[s][ch].item<double>(), s_s = ss[s][ch].item<double>();
      for (int64_t k = 0; k < hw; ++k) {
        const double t = (p[k] - mean) / sd * s_s + m_s;
        out[(i * c + ch) * hw + k] = alpha * t + (1 - alpha) * p[k];
      }
    }
  }
  return y;
}

double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  const at::Tensor a = actual.to(at::kDouble).cpu(), b = expected.to(at::kDouble).cpu();
  return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}

struct Case {
  int64_t n, c, h, w, styles;
  double alpha;
};

std::vector<Case> random_cases(int count) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> n(1, 4), c(1, 9), side(1, 23), styles(1, 5);
  std::vector<Case> cases = {{1, 1, 1, 2, 1, 1.0}, {2, 3, 2, 1, 2, 0.5}, {1, 512, 3, 5, 1, 1.0}};
  while (static_cast<int>(cases.size()) < count) {
    Case k{n(rng), c(rng), side(rng), side(rng), styles(rng), std::uniform_real_distribution<>(0, 1)(rng)};
    if (k.h * k.w >= 2) cases.push_back(k);
  }
  return cases;
}

at::Tensor random_index(int64_t n, int64_t styles) { return at::randint(0, styles, {n}, at::kLong); }

TEST(Adain, MatchesTheDefinitionOnRandomShapes) {
  at::manual_seed(1);
  for (const Case& k : random_cases(40)) {
    SCOPED_TRACE(testing::Message() << k.n << "x" << k.c << "x" << k.h << "x" << k.w << " alpha " << k.alpha);
    // An offset far from zero: a one-pass sum of squares would lose digits here, the reference must not.
    const at::Tensor x = at::randn({k.n, k.c, k.h, k.w}) * 3 + 40;
    const at::Tensor sm = at::randn({k.styles, k.c}), ss = at::rand({k.styles, k.c}) + 0.1;
    const at::Tensor index = random_index(k.n, k.styles);
    const at::Tensor y = adain(x, sm, ss, index, static_cast<float>(k.alpha));
    EXPECT_EQ(y.scalar_type(), at::kFloat);
    EXPECT_FALSE(y.isnan().any().item<bool>());
    EXPECT_LT(relative_error(y, adain_definition(x, sm, ss, index, k.alpha)), 1e-6);
  }
}

TEST(Adain, AlphaZeroReturnsTheContent) {
  const at::Tensor x = at::randn({2, 4, 5, 6});
  const at::Tensor y = adain(x, at::randn({1, 4}), at::rand({1, 4}), at::zeros({2}, at::kLong), 0.f);
  EXPECT_LT((y - x).abs().max().item<float>(), 1e-6);
}

TEST(Adain, ChannelStatsAreUnbiasedWithEpsilon) {
  // Two positions {0, 2}: mean 1, unbiased variance 2, std sqrt(2 + 1e-5).
  const at::Tensor x = at::tensor({0.f, 2.f}).reshape({1, 1, 1, 2});
  const auto [mean, std] = channel_stats(x);
  EXPECT_FLOAT_EQ(mean.item<float>(), 1.f);
  EXPECT_FLOAT_EQ(std.item<float>(), static_cast<float>(std::sqrt(2.0 + 1e-5)));
}

TEST(Adain, SinglePositionGivesNaNAsTheReference) {
  const auto [mean, std] = channel_stats(at::ones({1, 2, 1, 1}));
  EXPECT_TRUE(std.isnan().all().item<bool>());
}

TEST(Adain, ChannelsLastInputGivesTheSameResult) {
  const at::Tensor x = at::randn({2, 8, 5, 7});
  const at::Tensor sm = at::randn({3, 8}), ss = at::rand({3, 8}) + 0.5, index = at::tensor({2L, 0L});
  const at::Tensor a = adain(x, sm, ss, index, 0.7f);
  const at::Tensor b = adain(x.contiguous(at::MemoryFormat::ChannelsLast), sm, ss, index, 0.7f);
  EXPECT_LT((a - b).abs().max().item<float>(), 1e-6);
}

TEST(Adain, RejectsBadArguments) {
  const at::Tensor x = at::randn({2, 4, 3, 3});
  EXPECT_THROW(adain(x, at::randn({1, 5}), at::rand({1, 5}), at::zeros({2}, at::kLong), 1.f),
               std::invalid_argument);
  EXPECT_THROW(adain(x, at::randn({1, 4}), at::rand({1, 4}), at::zeros({3}, at::kLong), 1.f),
               std::invalid_argument);
  EXPECT_THROW(adain(x, at::randn({1, 4}), at::rand({1, 4}), at::zeros({2}, at::kLong), 1.5f),
               std::invalid_argument);
  EXPECT_ANY_THROW(adain(x, at::randn({1, 4}), at::rand({1, 4}), at::full({2}, 1L, at::kLong), 1.f));
}

// ---- CUDA kernel against the CPU reference: runs where a GPU exists, skips elsewhere. ----

bool have_cuda() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

struct CudaShape {
  int64_t n, c, h, w;
};

// H*W from 2 to 10^6, batch 1 to 256; planes split over blocks (large H*W, few planes) and not; H*W both a
// multiple of the 16-byte pack and not.
const std::vector<CudaShape> kCudaShapes = {{1, 1, 1, 2},     {3, 5, 7, 9},       {256, 512, 4, 4},
                                            {256, 3, 1, 2},   {2, 512, 28, 28},   {4, 33, 13, 1},
                                            {8, 64, 47, 63},  {1, 3, 1000, 1000}, {1, 2, 1, 999999},
                                            {2, 7, 300, 301}, {1, 40, 256, 256}};

// fp16/bf16: the output's own rounding dominates, a fraction of the largest output.
double tolerance_for(at::ScalarType dtype) { return dtype == at::kHalf ? 2e-3 : 1.6e-2; }

// fp32: the kernel's per-element map y = x * scale + shift is exact to a few ulp of the magnitudes it adds
// (|x * scale|, alpha * (|style_mean| + |mean| * gain); adain_math.h), which on a plane with a small std
// beside its mean are far larger than |y|: a bound relative to the output alone fails there for any fp32
// kernel (test_adain_math.cpp shows it on the CPU). Returns the largest error over that bound plus one ulp
// of the output; at most 1 passes.
double fp32_error_ratio(const at::Tensor& y, const at::Tensor& x, const at::Tensor& sm, const at::Tensor& ss,
                        const at::Tensor& index, double alpha) {
  const at::Tensor xd = x.to(at::kDouble).cpu();
  const at::Tensor mean = xd.mean({2, 3}, true);
  const at::Tensor sd = (xd.var({2, 3}, /*unbiased=*/true, /*keepdim=*/true) + kAdainEpsilon).sqrt();
  const int64_t n = x.size(0), c = x.size(1);
  const at::Tensor m_s = sm.to(at::kDouble).index_select(0, index.cpu()).view({n, c, 1, 1});
  const at::Tensor gain = ss.to(at::kDouble).index_select(0, index.cpu()).view({n, c, 1, 1}) / sd;
  const at::Tensor scale = alpha * gain + (1 - alpha);
  const at::Tensor ref = xd * scale + alpha * (m_s - mean * gain);
  const double ulp = 1.1920929e-7;
  const at::Tensor terms = (xd * scale).abs() + alpha * (m_s.abs() + mean.abs() * gain);
  const at::Tensor bound = static_cast<double>(kernels::kMapUlps) * ulp * terms + ulp * ref.abs();
  return ((y.to(at::kDouble).cpu() - ref).abs() / bound).max().item<double>();
}

TEST(AdainCuda, MatchesTheCpuReferenceForAllDtypesAndLayouts) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  at::manual_seed(2);
  for (const CudaShape& s : kCudaShapes) {
    for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
      for (const bool channels_last : {false, true}) {
        SCOPED_TRACE(testing::Message() << s.n << "x" << s.c << "x" << s.h << "x" << s.w << " "
                                        << c10::toString(dtype) << (channels_last ? " NHWC" : " NCHW"));
        const at::Tensor x_cpu = (at::randn({s.n, s.c, s.h, s.w}) * 2 + 5).to(dtype).to(at::kFloat);
        const at::Tensor sm = at::randn({3, s.c}), ss = at::rand({3, s.c}) + 0.1;
        const at::Tensor index = random_index(s.n, 3);
        at::Tensor x = x_cpu.to(at::kCUDA, dtype);
        if (channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
        const at::Tensor expected = adain(x_cpu, sm, ss, index, 0.8f);
        const at::Tensor y = adain(x, sm.cuda(), ss.cuda(), index.cuda(), 0.8f);
        EXPECT_EQ(y.scalar_type(), dtype);
        EXPECT_FALSE(y.isnan().any().item<bool>());
        if (dtype == at::kFloat) {
          EXPECT_LE(fp32_error_ratio(y, x_cpu, sm, ss, index, 0.8), 1.0);
        } else {
          EXPECT_LT(relative_error(y.to(at::kFloat), expected), tolerance_for(dtype));
        }
        const auto [mean, std] = channel_stats(x);
        const auto [ref_mean, ref_std] = channel_stats(x_cpu);
        EXPECT_LT(relative_error(mean, ref_mean), 1e-5);
        EXPECT_LT(relative_error(std, ref_std), 1e-5);
      }
    }
  }
}

TEST(AdainCuda, KeepsPrecisionOnLargePlanesWithALargeOffset) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  at::manual_seed(3);
  // 10^6 positions around 1000 with spread 1: a sum of squares in fp32 would lose every digit of the
  // variance.
  for (const bool channels_last : {false, true}) {
    const at::Tensor x_cpu = at::randn({1, 4, 1000, 1000}) + 1000;
    at::Tensor x = x_cpu.cuda();
    if (channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
    const auto [mean, std] = channel_stats(x);
    const auto [ref_mean, ref_std] = channel_stats(x_cpu);
    EXPECT_LT(relative_error(mean, ref_mean), 1e-6);
    EXPECT_LT(relative_error(std, ref_std), 1e-4);  // std ~ 1 beside a mean of 1000: 1e-7 * 1000 / 1
  }
}

#ifdef SINFORGE_HAVE_CUDA
kernels::ElementType kernel_type(at::ScalarType t) {
  return t == at::kFloat
             ? kernels::ElementType::kFloat32
             : (t == at::kHalf ? kernels::ElementType::kFloat16 : kernels::ElementType::kBFloat16);
}

// The launchers called directly, into outputs and a workspace this test allocates and fills with NaN first:
// an element the kernel does not write stays NaN and fails the test.
TEST(AdainCuda, WritesEveryOutputElementOfPoisonedBuffers) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  at::manual_seed(4);
  const auto stream = at::cuda::getCurrentCUDAStream();
  for (const CudaShape& s : kCudaShapes) {
    for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
      for (const bool channels_last : {false, true}) {
        SCOPED_TRACE(testing::Message() << s.n << "x" << s.c << "x" << s.h << "x" << s.w << " "
                                        << c10::toString(dtype) << (channels_last ? " NHWC" : " NCHW"));
        const at::Tensor x_cpu = (at::randn({s.n, s.c, s.h, s.w}) * 3 - 2).to(dtype).to(at::kFloat);
        const at::Tensor sm = at::randn({2, s.c}), ss = at::rand({2, s.c}) + 0.2;
        const at::Tensor index = random_index(s.n, 2);
        const auto format = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        const at::Tensor x = x_cpu.to(at::kCUDA, dtype).contiguous(format);
        const auto layout = channels_last ? kernels::Layout::kNHWC : kernels::Layout::kNCHW;
        const kernels::FeatureShape shape{s.n, s.c, s.h * s.w};
        const size_t ws_bytes = kernels::adain_workspace_bytes(layout, shape);
        const at::Tensor workspace =
            at::full({static_cast<int64_t>((ws_bytes + 3) / 4)}, std::nanf(""), at::TensorOptions(at::kCUDA));
        at::Tensor y = at::full_like(x, std::nanf(""));
        const at::Tensor sm_d = sm.cuda(), ss_d = ss.cuda(), index_d = index.cuda();
        ASSERT_EQ(kernels::launch_adain(x.const_data_ptr(), y.mutable_data_ptr(), kernel_type(dtype), layout,
                                        shape, sm_d.const_data_ptr<float>(), ss_d.const_data_ptr<float>(),
                                        index_d.const_data_ptr<int64_t>(), 0.6f, kAdainEpsilon,
                                        ws_bytes > 0 ? workspace.mutable_data_ptr() : nullptr, stream),
                  cudaSuccess);
        ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
        EXPECT_FALSE(y.isnan().any().item<bool>());
        if (dtype == at::kFloat) {
          EXPECT_LE(fp32_error_ratio(y, x_cpu, sm, ss, index, 0.6), 1.0);
        } else {
          EXPECT_LT(relative_error(y.to(at::kFloat), adain(x_cpu, sm, ss, index, 0.6f)),
                    tolerance_for(dtype));
        }

        at::Tensor mean = at::full({s.n, s.c}, std::nanf(""), at::TensorOptions(at::kCUDA));
        at::Tensor sd = at::full({s.n, s.c}, std::nanf(""), at::TensorOptions(at::kCUDA));
        workspace.fill_(std::nanf(""));
        ASSERT_EQ(kernels::launch_channel_stats(
                      x.const_data_ptr(), kernel_type(dtype), layout, shape, kAdainEpsilon,
                      mean.mutable_data_ptr<float>(), sd.mutable_data_ptr<float>(),
                      ws_bytes > 0 ? workspace.mutable_data_ptr() : nullptr, stream),
                  cudaSuccess);
        ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
        EXPECT_FALSE(mean.isnan().any().item<bool>());
        EXPECT_FALSE(sd.isnan().any().item<bool>());
        const auto [ref_mean, ref_std] = channel_stats(x_cpu);
        EXPECT_LT(relative_error(mean, ref_mean), 1e-5);
        EXPECT_LT(relative_error(sd, ref_std), 1e-5);
      }
    }
  }
}

TEST(AdainCuda, SplitPlanesNeedAWorkspace) {
  // Pure host logic: the launcher refuses a split shape without scratch instead of writing through null.
  const kernels::FeatureShape big{1, 1, 1000000};
  EXPECT_GT(kernels::adain_workspace_bytes(kernels::Layout::kNCHW, big), 0u);
  EXPECT_GT(kernels::adain_workspace_bytes(kernels::Layout::kNHWC, big), 0u);
  EXPECT_EQ(kernels::adain_workspace_bytes(kernels::Layout::kNCHW, {256, 512, 16}), 0u);
  EXPECT_EQ(kernels::adain_workspace_bytes(kernels::Layout::kNCHW, {1, 1, 2}), 0u);
}
#endif

}  // namespace
}  // namespace sinforge
