// The .pth readers (weights/state_dict.h): a legacy torch.save file or a zip archive, told apart by their
// first bytes as the loader does. Any bytes load as a state dict or are refused with WeightsError (the
// allowlist of globals included), never anything else. The input goes through a file, as the loader takes
// one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input_file.h"
#include "sinforge/core/error.h"
#include "sinforge/weights/state_dict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path file = sinforge::fuzz::write_input(data, size, "input.pth");
  if (file.empty()) return 0;
  try {
    for (const auto& [name, tensor] : sinforge::load_state_dict(file)) {
      if (name.empty() && !tensor.defined()) __builtin_trap();  // touch both
    }
  } catch (const sinforge::WeightsError&) {
  }
  return 0;
}
