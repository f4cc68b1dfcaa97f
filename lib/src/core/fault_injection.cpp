#include "sinforge/core/fault_injection.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace sinforge {

void fail_if_fault_injected(const std::filesystem::path& target) {
  static const std::optional<long long> limit = []() -> std::optional<long long> {
    const char* value = std::getenv("SINFORGE_FAULT_WRITE_AFTER");
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::atoll(value);
  }();
  static std::atomic<long long> writes{0};
  if (limit && writes.fetch_add(1) >= *limit) {
    throw std::runtime_error(target.string() + ": write failed (" + std::strerror(ENOSPC) +
                             ") [SINFORGE_FAULT_WRITE_AFTER]");
  }
}

}  // namespace sinforge
