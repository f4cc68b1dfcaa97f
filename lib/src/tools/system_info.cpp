#include "sinforge/tools/system_info.h"

#include <torch/version.h>

#include <fstream>
#include <opencv2/core.hpp>
#include <sstream>

#include "sinforge/core/log.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/core/version.h"
#include "sinforge/image/image_io.h"
#include "sinforge/model/device_memory.h"
#include "sinforge/model/network.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

// Whether OpenCV encodes and then decodes a small image in this format: a codec left out of the build fails
// one of the two.
CodecReport check_codec(const char* name, ImageFormat format) {
  CodecReport r{name, false, false};
  cv::Mat rgb(16, 16, CV_8UC3, cv::Scalar(200, 100, 50));
  std::vector<uint8_t> bytes;
  try {
    bytes = encode_image(rgb, format);
    r.encode = !bytes.empty();
  } catch (const std::exception&) {
    return r;
  }
  try {
    const cv::Mat back = decode_image(bytes, std::string("a ") + name + " test image");
    r.decode = back.cols == 16 && back.rows == 16;
  } catch (const std::exception&) {
  }
  return r;
}

// The first word of decoder.pth.sha256, as weights/fetch.sh writes it ("<hex>  decoder.pth").
std::optional<std::string> recorded_digest(const std::filesystem::path& file) {
  std::ifstream in(file.string() + ".sha256");
  std::string digest;
  if (in >> digest) return digest;
  return std::nullopt;
}

WeightReport report_weight(const WeightFileLookup& lookup) {
  WeightReport r{lookup, std::nullopt, std::nullopt, ""};
  if (!lookup.path) return r;
  try {
    r.sha256 = sha256_hex(*lookup.path);
  } catch (const std::exception& e) {
    r.note = e.what();
    return r;
  }
  if (lookup.file_name == "vgg_normalised.pth") {
    r.official = *r.sha256 == kOfficialVggSha256;
    r.note = *r.official ? "the official file" : "not the official file (other or random weights)";
  } else if (const auto record = recorded_digest(*lookup.path)) {
    r.official = *r.sha256 == *record;
    r.note = *r.official ? "matches decoder.pth.sha256 (no checksum is published)"
                         : "differs from decoder.pth.sha256 beside it";
  } else {
    r.note = "no checksum is published; no decoder.pth.sha256 beside it to compare with";
  }
  return r;
}

std::string gib(size_t bytes) {
  std::ostringstream s;
  s.precision(3);
  s << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
  return s.str();
}

std::string arch_list(const KernelArchitectures& k) {
  if (k.sass.empty() && k.ptx.empty()) return "none (built without CUDA kernels)";
  std::string s;
  for (int a : k.sass) s += (s.empty() ? "" : " ") + sm_name(a);
  for (int a : k.ptx) s += " + compute_" + std::to_string(a) + " PTX";
  return s;
}

nlohmann::json device_json(const DeviceReport& d) {
  nlohmann::json j;
  j["index"] = d.gpu.index;
  j["name"] = d.gpu.name;
  j["compute_capability"] = to_string(d.gpu.capability);
  j["architecture"] = sm_name(d.gpu.capability);
  j["total_memory_bytes"] = d.gpu.total_bytes;
  j["free_memory_bytes"] = d.gpu.free_bytes ? nlohmann::json(*d.gpu.free_bytes) : nlohmann::json(nullptr);
  j["kernels"] = d.kernels.route == KernelRoute::kCudaKernels;
  j["kernels_detail"] = d.kernels.why;
  j["fp16"] = d.fp16;
  j["bf16"] = d.bf16;
  j["auto_batch_size"] = {
      {"sin224", {{"fp32", d.sin224_fp32}, {"fp16", d.sin224_half}, {"bf16", d.bf16 ? d.sin224_half : 0}}},
      {"full_500x375", {{"fp32", d.full_fp32}, {"fp16", d.full_half}, {"bf16", d.bf16 ? d.full_half : 0}}}};
  return j;
}

}  // namespace

DeviceReport report_device(const GpuInfo& gpu, const KernelArchitectures& built) {
  DeviceReport d;
  d.gpu = gpu;
  d.kernels = choose_kernel_route(gpu.capability, built);
  d.fp16 = gpu_supports(Precision::kFp16, gpu.capability);
  d.bf16 = gpu_supports(Precision::kBf16, gpu.capability);
  const size_t free = gpu.free_bytes.value_or(gpu.total_bytes);
  d.sin224_fp32 = auto_gpu_batch_size(free, Precision::kFp32, 224, 224);
  d.sin224_half = auto_gpu_batch_size(free, Precision::kFp16, 224, 224);
  d.full_fp32 = auto_gpu_batch_size(free, Precision::kFp32, kFullReportWidth, kFullReportHeight);
  d.full_half = auto_gpu_batch_size(free, Precision::kFp16, kFullReportWidth, kFullReportHeight);
  return d;
}

SystemReport collect_system_report(const std::optional<std::filesystem::path>& vgg_flag,
                                   const std::optional<std::filesystem::path>& decoder_flag) {
  SystemReport r;
  r.version = version();
  r.libtorch = TORCH_VERSION;
  r.opencv = CV_VERSION;
  r.cuda_runtime = cuda_runtime_version();
  r.cuda_driver = cuda_driver_version();
  r.kernels = built_kernel_architectures();
  for (const GpuInfo& gpu : visible_gpus(FreeMemory::kRead)) {
    DeviceReport d = report_device(gpu, r.kernels);
    if (d.kernels.route == KernelRoute::kCudaKernels) {
      // The runtime's word beside the rule's, as a run would get it (kernel_support.h).
      if (!use_cuda_kernels(c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(gpu.index))))
        d.kernels = {KernelRoute::kTorchOps, "the CUDA runtime cannot load our kernels on it"};
    }
    r.devices.push_back(d);
  }
  r.cpu_threads = worker_count(0);
  r.codecs = {check_codec("jpeg", ImageFormat::kJpeg), check_codec("png", ImageFormat::kPng)};
  for (const WeightFileLookup& lookup : find_weight_files(vgg_flag, decoder_flag))
    r.weights.push_back(report_weight(lookup));
  return r;
}

nlohmann::json to_json(const SystemReport& r) {
  auto optional = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  nlohmann::json j;
  j["version"] = r.version;
  j["libtorch"] = r.libtorch;
  j["opencv"] = r.opencv;
  j["cuda_runtime"] = optional(r.cuda_runtime);
  j["cuda_driver"] = optional(r.cuda_driver);
  j["kernel_architectures"] = nlohmann::json::array();
  for (int a : r.kernels.sass) j["kernel_architectures"].push_back(sm_name(a));
  j["kernel_ptx"] = nlohmann::json::array();
  for (int a : r.kernels.ptx) j["kernel_ptx"].push_back("compute_" + std::to_string(a));
  j["devices"] = nlohmann::json::array();
  for (const DeviceReport& d : r.devices) j["devices"].push_back(device_json(d));
  j["cpu_threads"] = r.cpu_threads;
  j["codecs"] = nlohmann::json::object();
  for (const CodecReport& c : r.codecs) j["codecs"][c.format] = {{"decode", c.decode}, {"encode", c.encode}};
  j["weights"] = nlohmann::json::array();
  for (const WeightReport& w : r.weights) {
    nlohmann::json e;
    e["file"] = w.lookup.file_name;
    e["path"] = w.lookup.path ? nlohmann::json(w.lookup.path->string()) : nlohmann::json(nullptr);
    e["found_by"] = w.lookup.path ? nlohmann::json(w.lookup.source) : nlohmann::json(nullptr);
    e["sha256"] = optional(w.sha256);
    e["official"] = w.official ? nlohmann::json(*w.official) : nlohmann::json(nullptr);
    e["note"] = w.lookup.path ? w.note : w.lookup.problem;
    j["weights"].push_back(e);
  }
  return j;
}

std::string to_text(const SystemReport& r) {
  std::ostringstream s;
  s << "sinforge " << r.version << " (LibTorch " << r.libtorch << ", OpenCV " << r.opencv << ")\n";
  s << "CUDA runtime: " << r.cuda_runtime.value_or("none")
    << "; CUDA driver: " << (r.cuda_driver ? "supports CUDA " + *r.cuda_driver : std::string("none")) << '\n';
  s << "kernels built for: " << arch_list(r.kernels) << '\n';
  if (r.devices.empty()) s << "GPUs: none visible (runs on the CPU)\n";
  for (const DeviceReport& d : r.devices) {
    s << "GPU " << d.gpu.index << ": " << d.gpu.name << ", " << sm_name(d.gpu.capability) << ", "
      << gib(d.gpu.total_bytes) << " (" << (d.gpu.free_bytes ? gib(*d.gpu.free_bytes) : "?") << " free)\n";
    s << "  kernels: "
      << (d.kernels.route == KernelRoute::kCudaKernels ? "yes, " : "no, LibTorch ops instead: ")
      << d.kernels.why << '\n';
    s << "  precisions: fp32, " << (d.fp16 ? "fp16" : "no fp16") << ", "
      << (d.bf16 ? "bf16" : "no bf16 (needs sm_80: use fp16)") << '\n';
    s << "  --batch-size auto: sin224 " << d.sin224_fp32 << " (fp32) / " << d.sin224_half << " (fp16"
      << (d.bf16 ? "/bf16" : "") << "); full at 500x375 " << d.full_fp32 << " / " << d.full_half << '\n';
  }
  s << "CPU threads: " << r.cpu_threads << '\n';
  s << "codecs:";
  for (const CodecReport& c : r.codecs)
    s << ' ' << c.format << " (" << (c.decode ? "decode" : "NO decode") << ", "
      << (c.encode ? "encode" : "NO encode") << ')';
  s << '\n';
  for (const WeightReport& w : r.weights) {
    s << "weights " << w.lookup.file_name << ": ";
    if (!w.lookup.path) {
      s << "not found (" << w.lookup.problem << ")\n";
      continue;
    }
    s << w.lookup.path->string() << " (from " << w.lookup.source << "), sha256 " << w.sha256.value_or("?")
      << ", " << w.note << '\n';
  }
  return s.str();
}

}  // namespace sinforge
