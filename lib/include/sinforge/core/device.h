// Choosing where the network runs: --device auto|cpu|cuda|cuda:I.
#pragma once

#include <string>

#include <ATen/ATen.h>

namespace sinforge {

bool cuda_available();

// auto -> the first GPU when one is usable, else the CPU. A GPU named but absent is a UsageError.
at::Device parse_device(const std::string& name);

}  // namespace sinforge
