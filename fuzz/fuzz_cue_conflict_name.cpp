// The cue-conflict stimulus names (shape_bias/cue_conflict.h): any name parses to two known classes (valid
// indices) or to nullopt, never a fault.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/human_categories.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  const auto parsed = sinforge::parse_cue_conflict_name(name);
  if (parsed) {
    const int classes = static_cast<int>(sinforge::human_categories().size());
    if (parsed->shape < 0 || parsed->shape >= classes || parsed->texture < 0 || parsed->texture >= classes)
      __builtin_trap();
  }
  return 0;
}
