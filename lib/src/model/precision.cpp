#include "sinforge/model/precision.h"

#include "sinforge/core/error.h"

namespace sinforge {

Precision parse_precision(const std::string& name) {
  if (name == "fp32") return Precision::kFp32;
  if (name == "fp16") return Precision::kFp16;
  if (name == "bf16") return Precision::kBf16;
  throw UsageError("unknown precision '" + name + "' (expected fp32, fp16 or bf16)");
}

std::string to_string(Precision precision) {
  switch (precision) {
    case Precision::kFp32:
      return "fp32";
    case Precision::kFp16:
      return "fp16";
    case Precision::kBf16:
      return "bf16";
  }
  return "?";
}

}  // namespace sinforge
