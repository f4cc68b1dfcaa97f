// `sinforge info`: what a user runs first on a rented machine. Everything the run would depend on, read
// without doing any work: versions, the kernels' architectures, each visible GPU (capability, memory,
// whether our kernels have an image for it, which precisions it runs, the batch `--batch-size auto` would
// pick), CPU threads, image codecs, and the weight files the usual lookup finds with their SHA-256.
// Collecting never throws for a missing GPU or weight file: those are facts to report.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/core/gpu_info.h"
#include "sinforge/model/kernel_support.h"
#include "sinforge/weights/weights_locator.h"

namespace sinforge {

// The image size the report's "full" batch stands for: ImageNet's most common size.
inline constexpr int kFullReportWidth = 500, kFullReportHeight = 375;

struct DeviceReport {
  GpuInfo gpu;
  KernelDecision kernels;
  bool fp16 = false, bf16 = false;
  // --batch-size auto for sin224 (224x224) and full (500x375), in fp32 and in a half precision.
  int sin224_fp32 = 0, sin224_half = 0, full_fp32 = 0, full_half = 0;
};

struct CodecReport {
  std::string format;  // "jpeg", "png"
  bool decode = false, encode = false;
};

struct WeightReport {
  WeightFileLookup lookup;
  std::optional<std::string> sha256;
  // vgg: whether the digest is the published one; decoder: whether it matches decoder.pth.sha256 beside it
  // (nullopt when there is no record: nothing to compare with).
  std::optional<bool> official;
  std::string note;
};

struct SystemReport {
  std::string version, libtorch, opencv;
  std::optional<std::string> cuda_runtime, cuda_driver;
  KernelArchitectures kernels;
  std::vector<DeviceReport> devices;
  size_t cpu_threads = 0;
  std::vector<CodecReport> codecs;
  std::vector<WeightReport> weights;
};

// The device part alone, pure: what a GPU with this capability and free memory gets from this binary.
DeviceReport report_device(const GpuInfo& gpu, const KernelArchitectures& built);

SystemReport collect_system_report(const std::optional<std::filesystem::path>& vgg_flag,
                                   const std::optional<std::filesystem::path>& decoder_flag);

nlohmann::json to_json(const SystemReport& report);
std::string to_text(const SystemReport& report);

}  // namespace sinforge
