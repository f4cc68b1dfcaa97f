// The .pth readers (weights/state_dict.h): a legacy torch.save file or a zip archive, told apart by their
// first bytes as the loader does. Any bytes load as a state dict or are refused with WeightsError (the
// allowlist of globals included), never anything else. The input goes through a file, as the loader takes
// one.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/weights/state_dict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string file = "/dev/shm/sinforge-fuzz-pth-" + std::to_string(::getpid()) + ".pth";
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f == nullptr) return 0;
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    for (const auto& [name, tensor] : sinforge::load_state_dict(file)) {
      if (name.empty() && !tensor.defined()) __builtin_trap();  // touch both
    }
  } catch (const sinforge::WeightsError&) {
  }
  return 0;
}
