// The settings record a rerun compares with (records/run_settings.h check_settings): any bytes in
// sinforge.settings.json either match the run's settings or are refused with UsageError, naming the
// differences or saying that the file cannot be parsed; never another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_input_file.h"
#include "sinforge/core/error.h"
#include "sinforge/pipeline/run_recipe.h"
#include "sinforge/records/run_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nlohmann::json now = sinforge::output_settings(sinforge::RunOptions{}, "vgg", "decoder", {});
  const std::filesystem::path file = sinforge::fuzz::write_input(data, size, "sinforge.settings.json");
  if (file.empty()) return 0;
  bool refused = false;
  try {
    sinforge::check_settings(file.parent_path(), now, false);
  } catch (const sinforge::UsageError&) {
    refused = true;
  }
  // The record of these very settings is accepted, however it is spaced; anything else is refused.
  const nlohmann::json recorded = nlohmann::json::parse(data, data + size, nullptr, false);
  if (refused == (!recorded.is_discarded() && recorded == now)) __builtin_trap();
  return 0;
}
