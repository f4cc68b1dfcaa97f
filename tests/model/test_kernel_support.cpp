// Which path AdaIN and the glue take on each GPU: the architecture rule for every chip from a T4 to a B200
// and beyond, the built list this binary reports, and the LibTorch-ops fallback computing the CPU
// reference's function.
#include "sinforge/model/kernel_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sinforge/core/device.h"
#include "sinforge/model/ops/adain.h"

namespace sinforge {
namespace {

// The list this project builds by default: LibTorch 2.15's (cmake/CudaArchitectures.cmake).
const KernelArchitectures kLibTorchList{{75, 80, 86, 90, 100, 120}, {120}};

KernelRoute route(int major, int minor, const KernelArchitectures& built = kLibTorchList) {
  return choose_kernel_route({major, minor}, built).route;
}

TEST(KernelSupport, EveryGpuOfLibTorchsListRunsItsOwnCubin) {
  for (const int a : kLibTorchList.sass) {
    const KernelDecision d = choose_kernel_route({a / 10, a % 10}, kLibTorchList);
    EXPECT_EQ(d.route, KernelRoute::kCudaKernels) << a;
    EXPECT_EQ(d.why, sm_name(a) + " cubin");
  }
}

TEST(KernelSupport, ACubinRunsOnLaterMinorVersionsOfItsMajorOnly) {
  // L4 / RTX 4090 (8.9) and Jetson Orin (8.7) run the sm_86 cubin; GB300 (10.3) runs sm_100's; DGX Spark
  // (12.1) runs sm_120's.
  EXPECT_EQ(choose_kernel_route({8, 9}, kLibTorchList).why, "sm_89 runs the sm_86 cubin");
  EXPECT_EQ(choose_kernel_route({8, 7}, kLibTorchList).why, "sm_87 runs the sm_86 cubin");
  EXPECT_EQ(route(10, 3), KernelRoute::kCudaKernels);
  EXPECT_EQ(route(12, 1), KernelRoute::kCudaKernels);
  // sm_80's cubin does not run on 9.0: Hopper needs its own cubin or PTX.
  const KernelArchitectures ampere_only{{80}, {}};
  EXPECT_EQ(route(9, 0, ampere_only), KernelRoute::kTorchOps);
  EXPECT_EQ(route(8, 6, ampere_only), KernelRoute::kCudaKernels);
}

TEST(KernelSupport, PtxCoversNewerChipsAndNeverOlderOnes) {
  // A chip after the newest cubin (a future 13.0) gets the compute_120 PTX, compiled by its driver.
  const KernelDecision future = choose_kernel_route({13, 0}, kLibTorchList);
  EXPECT_EQ(future.route, KernelRoute::kCudaKernels);
  EXPECT_NE(future.why.find("compute_120 PTX"), std::string::npos) << future.why;
  // Jetson Thor (11.0) lies between sm_100 and compute_120: no cubin of its major, PTX too new.
  EXPECT_EQ(route(11, 0), KernelRoute::kTorchOps);
  // A V100 (7.0) is older than everything built.
  const KernelDecision volta = choose_kernel_route({7, 0}, kLibTorchList);
  EXPECT_EQ(volta.route, KernelRoute::kTorchOps);
  EXPECT_NE(volta.why.find("sm_70"), std::string::npos) << volta.why;
  EXPECT_NE(volta.why.find("sm_75"), std::string::npos) << "names what was built: " << volta.why;
}

TEST(KernelSupport, TheOldHopperOnlyBuildFailedEveryOtherGpuOfOurUsers) {
  // What the kernels were built for before (sm_90 + compute_90): T4, A100, A10 and L4 had no image.
  const KernelArchitectures hopper_only{{90}, {90}};
  for (const auto& [major, minor] : std::vector<std::pair<int, int>>{{7, 5}, {8, 0}, {8, 6}, {8, 9}})
    EXPECT_EQ(route(major, minor, hopper_only), KernelRoute::kTorchOps) << major << "." << minor;
  EXPECT_EQ(route(9, 0, hopper_only), KernelRoute::kCudaKernels);
  EXPECT_EQ(route(10, 0, hopper_only), KernelRoute::kCudaKernels) << "through the PTX";
}

TEST(KernelSupport, ABuildWithoutKernelsAlwaysTakesTheFallback) {
  const KernelDecision d = choose_kernel_route({9, 0}, KernelArchitectures{});
  EXPECT_EQ(d.route, KernelRoute::kTorchOps);
  EXPECT_NE(d.why.find("no CUDA kernels"), std::string::npos) << d.why;
}

TEST(KernelSupport, ThisBinaryReportsWhatItWasBuiltFor) {
  const KernelArchitectures& built = built_kernel_architectures();
#ifdef SINFORGE_HAVE_CUDA
  ASSERT_FALSE(built.sass.empty());
  ASSERT_EQ(built.ptx.size(), 1u);
  EXPECT_EQ(built.ptx[0], built.sass.back()) << "PTX of the newest cubin";
  EXPECT_TRUE(std::is_sorted(built.sass.begin(), built.sass.end()));
  // Every GPU LibTorch supports gets our kernels (tests/kernels checks the objects against LibTorch itself).
  for (const int a : built.sass) EXPECT_EQ(route(a / 10, a % 10, built), KernelRoute::kCudaKernels);
#else
  EXPECT_TRUE(built.sass.empty());
  EXPECT_TRUE(built.ptx.empty());
#endif
  EXPECT_FALSE(use_cuda_kernels(c10::Device(c10::kCPU))) << "the CPU has its own reference path";
}

// The fallback's AdaIN is the CPU reference's function (double-precision loops), on any layout and alpha.
TEST(KernelSupport, TheLibTorchOpsAdainEqualsTheCpuReference) {
  at::manual_seed(7);
  const at::Tensor x = at::randn({3, 16, 9, 7}) * 3 + 2;
  const at::Tensor mean = at::randn({5, 16});
  const at::Tensor std = at::rand({5, 16}) + 0.1;
  const at::Tensor index = at::tensor(std::vector<int64_t>{4, 0, 2}, at::kLong);
  for (const float alpha : {1.f, 0.5f, 0.f}) {
    for (const bool channels_last : {false, true}) {
      const at::Tensor in = channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
      const at::Tensor expected = detail::adain_cpu(in, mean, std, index, alpha);
      const at::Tensor got = detail::adain_aten(in, mean, std, index, alpha);
      EXPECT_TRUE(at::allclose(got, expected, 1e-5, 1e-5))
          << "alpha " << alpha << ", channels_last " << channels_last << ": max error "
          << (got - expected).abs().max().item<float>();
      EXPECT_EQ(got.is_contiguous(at::MemoryFormat::ChannelsLast), channels_last) << "keeps the layout";
    }
  }
  const auto [m_ops, s_ops] = detail::channel_stats_aten(x);
  const auto [m_ref, s_ref] = detail::channel_stats_cpu(x);
  EXPECT_TRUE(at::allclose(m_ops, m_ref, 1e-5, 1e-5));
  EXPECT_TRUE(at::allclose(s_ops, s_ref, 1e-5, 1e-5));
  // One position: unbiased variance divides 0 by 0, NaN on both paths, as the reference's.
  const auto [m1, s1] = detail::channel_stats_aten(at::randn({1, 2, 1, 1}));
  EXPECT_TRUE(std::isnan(s1[0][0].item<float>()));
}

// On a GPU our kernels run on, the fallback computes what the kernel computes, in every dtype and layout: a
// GPU without an image loses speed, never results.
TEST(KernelSupport, OnTheGpuTheFallbackEqualsTheKernel) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  const at::Device gpu(at::kCUDA, 0);
  if (!use_cuda_kernels(gpu)) GTEST_SKIP() << "this GPU takes the fallback already";
  at::manual_seed(3);
  const at::Tensor mean = at::randn({4, 64}).to(gpu);
  const at::Tensor std = (at::rand({4, 64}) + 0.1).to(gpu);
  const at::Tensor index = at::tensor(std::vector<int64_t>{3, 1}, at::kLong).to(gpu);
  for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
    for (const bool channels_last : {false, true}) {
      at::Tensor x = (at::randn({2, 64, 12, 10}) * 2 + 1).to(gpu, dtype);
      if (channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
      const at::Tensor kernel = adain(x, mean, std, index, 0.7f).to(at::kFloat);
      const at::Tensor ops = detail::adain_aten(x, mean, std, index, 0.7f).to(at::kFloat);
      const double tolerance = dtype == at::kFloat ? 1e-4 : 5e-2;
      EXPECT_TRUE(at::allclose(kernel, ops, tolerance, tolerance))
          << c10::toString(dtype) << " channels_last " << channels_last << ": max difference "
          << (kernel - ops).abs().max().item<float>();
    }
  }
}

}  // namespace
}  // namespace sinforge
