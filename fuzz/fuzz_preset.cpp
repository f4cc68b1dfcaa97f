// The preset reader (pipeline/preset.h apply_preset, yaml-cpp): any bytes in a preset file set the options
// they name or are refused with UsageError naming the file, and a refused preset sets nothing.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_input_file.h"
#include "sinforge/core/error.h"
#include "sinforge/pipeline/preset.h"
#include "sinforge/pipeline/run_recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path file = sinforge::fuzz::write_input(data, size, "preset.yaml");
  if (file.empty()) return 0;
  sinforge::RunOptions options;
  const nlohmann::json before = sinforge::recipe_settings(options);
  try {
    (void)sinforge::apply_preset(file, options);
  } catch (const sinforge::UsageError& e) {
    if (std::string(e.what()).find(file.string()) == std::string::npos) __builtin_trap();
    if (sinforge::recipe_settings(options) != before) __builtin_trap();  // nothing set
  }
  return 0;
}
