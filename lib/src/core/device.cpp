#include "sinforge/core/device.h"

#include <ATen/Context.h>

#include "sinforge/core/error.h"

namespace sinforge {

bool cuda_available() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

at::Device parse_device(const std::string& name) {
  if (name == "auto") return cuda_available() ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
  if (name == "cpu") return at::kCPU;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    int index = 0;
    if (name.size() > 5) {
      const std::string digits = name.substr(5);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
          digits.size() > 3) {
        throw UsageError("--device: cannot read a GPU index in '" + name +
                         "' (expected cuda:0, cuda:1, ...)");
      }
      index = std::stoi(digits);
    }
    if (!cuda_available()) throw UsageError("--device " + name + ": no CUDA device is available here");
    if (index >= static_cast<int>(at::detail::getCUDAHooks().deviceCount())) {
      throw UsageError("--device " + name + ": there is no GPU with that index");
    }
    return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw UsageError("--device: unknown device '" + name + "' (expected auto, cpu, cuda or cuda:I)");
}

}  // namespace sinforge
