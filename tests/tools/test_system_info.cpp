// What `sinforge info` reports, as a library: a GPU's entry from its capability and memory alone (any chip,
// on a machine without one), the weights' digests against the official one and fetch.sh's record, the
// codecs, and this machine's facts (no GPU here: an empty device list).
#include "sinforge/tools/system_info.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sinforge/model/device_memory.h"
#include "sinforge/weights/weights.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

constexpr size_t kGiB = size_t{1} << 30;

GpuInfo card(const char* name, ComputeCapability c, size_t free_gib) {
  GpuInfo g;
  g.name = name;
  g.capability = c;
  g.total_bytes = (free_gib + 1) * kGiB;
  g.free_bytes = free_gib * kGiB;
  return g;
}

TEST(SystemInfo, ATuringCardRunsOurKernelsInFp16ButNotBf16) {
  const KernelArchitectures built{{75, 80, 86, 90, 100, 120}, {120}};
  const DeviceReport t4 = report_device(card("Tesla T4", {7, 5}, 14), built);
  EXPECT_EQ(t4.kernels.route, KernelRoute::kCudaKernels);
  EXPECT_TRUE(t4.fp16);
  EXPECT_FALSE(t4.bf16);
  EXPECT_EQ(t4.sin224_fp32, auto_gpu_batch_size(14 * kGiB, Precision::kFp32, 224, 224));
  EXPECT_EQ(t4.full_half, auto_gpu_batch_size(14 * kGiB, Precision::kFp16, 500, 375));
  const nlohmann::json j =
      to_json(SystemReport{"v", "t", "o", std::nullopt, std::nullopt, built, {t4}, 2, {}, {}});
  const nlohmann::json& d = j["devices"][0];
  EXPECT_EQ(d["name"], "Tesla T4");
  EXPECT_EQ(d["compute_capability"], "7.5");
  EXPECT_EQ(d["architecture"], "sm_75");
  EXPECT_EQ(d["kernels"], true);
  EXPECT_EQ(d["bf16"], false);
  EXPECT_EQ(d["auto_batch_size"]["sin224"]["bf16"], 0) << "no bf16 batch on a card without bf16";
  EXPECT_EQ(d["free_memory_bytes"], 14 * kGiB);
}

TEST(SystemInfo, AGpuWithoutAnImageIsReportedOnTheFallback) {
  const DeviceReport v100 = report_device(card("Tesla V100", {7, 0}, 15), {{75, 80}, {80}});
  EXPECT_EQ(v100.kernels.route, KernelRoute::kTorchOps);
  const nlohmann::json j = to_json(SystemReport{"v", "t", "o", {}, {}, {{75, 80}, {80}}, {v100}, 2, {}, {}});
  EXPECT_EQ(j["devices"][0]["kernels"], false);
  EXPECT_NE(to_text(SystemReport{"v", "t", "o", {}, {}, {}, {v100}, 2, {}, {}}).find("LibTorch ops instead"),
            std::string::npos);
}

TEST(SystemInfo, ThisMachineHasNoGpuBothCodecsAndItsBuiltKernels) {
  const SystemReport r = collect_system_report(testing::demo_weights().vgg, testing::demo_weights().decoder);
  const nlohmann::json j = to_json(r);
  EXPECT_TRUE(j["devices"].is_array());
  EXPECT_EQ(j["devices"].size(), visible_gpus().size());
  EXPECT_GE(j["cpu_threads"].get<int>(), 1);
  for (const char* codec : {"jpeg", "png"}) {
    EXPECT_EQ(j["codecs"][codec]["decode"], true) << codec;
    EXPECT_EQ(j["codecs"][codec]["encode"], true) << codec;
  }
  EXPECT_EQ(j["kernel_architectures"].size(), built_kernel_architectures().sass.size());
  for (const char* key : {"version", "libtorch", "opencv", "cuda_runtime", "cuda_driver", "weights"})
    EXPECT_TRUE(j.contains(key)) << key;
#ifdef SINFORGE_HAVE_CUDA_RUNTIME
  EXPECT_TRUE(j["cuda_runtime"].is_string()) << "the runtime's version is known without a GPU";
#else
  EXPECT_TRUE(j["cuda_runtime"].is_null());
#endif
}

TEST(SystemInfo, WeightsAreCheckedAgainstTheOfficialDigestAndTheDecoderRecord) {
  testing::TempDir dir;
  const auto vgg = dir / "vgg_normalised.pth";
  const auto decoder = dir / "decoder.pth";
  std::filesystem::copy_file(testing::demo_weights().vgg, vgg);
  std::filesystem::copy_file(testing::demo_weights().decoder, decoder);
  auto weights = [&] { return to_json(collect_system_report(vgg, decoder))["weights"]; };
  nlohmann::json w = weights();
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0]["file"], "vgg_normalised.pth");
  EXPECT_EQ(w[0]["sha256"], sha256_hex(vgg));
  EXPECT_EQ(w[0]["official"], false) << "random weights are not the official file";
  EXPECT_EQ(w[0]["found_by"], "--vgg");
  EXPECT_TRUE(w[1]["official"].is_null()) << "no record beside the decoder: nothing to compare with";
  // weights/fetch.sh's record ("<hex>  decoder.pth"): matching, then not.
  testing::write_bytes(dir / "decoder.pth.sha256", sha256_hex(decoder) + "  decoder.pth\n");
  EXPECT_EQ(weights()[1]["official"], true);
  testing::write_bytes(dir / "decoder.pth.sha256", std::string(64, '0') + "  decoder.pth\n");
  EXPECT_EQ(weights()[1]["official"], false);
  // A missing file is reported, not thrown.
  const nlohmann::json missing = to_json(collect_system_report(dir / "absent.pth", decoder))["weights"][0];
  EXPECT_TRUE(missing["path"].is_null());
  EXPECT_NE(missing["note"].get<std::string>().find("no such file"), std::string::npos);
}

}  // namespace
}  // namespace sinforge
