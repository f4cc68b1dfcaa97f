// The network's arithmetic precision (--precision): its names, apart from the network so that the recipe's
// readers (presets, the settings record) need no network to spell it. The rule for which device takes which
// precision is the network's (network.h check_precision_for_device).
#pragma once

#include <string>

namespace sinforge {

enum class Precision { kFp32, kFp16, kBf16 };

Precision parse_precision(const std::string& name);  // fp32|fp16|bf16; throws UsageError
std::string to_string(Precision precision);

}  // namespace sinforge
