// Logging for the library and the CLI. A thin wall around spdlog: LibTorch ships its own, newer fmt whose
// headers shadow the one Debian's spdlog was built against, so no file may include both. Callers build
// their message with str_cat() (an ostringstream fold) and pass a plain string.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace sinforge::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

void set_level(Level level);
Level level();                             // what set_level set last (kInfo before any call)
Level parse_level(std::string_view name);  // debug|info|warn|error|off; throws UsageError otherwise

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);
void error(std::string_view message);

}  // namespace sinforge::log

namespace sinforge {

// str_cat("read ", n, " images") -> "read 3 images". Not named format: an unqualified format(...) with a
// std::string argument also finds std::format by argument-dependent lookup where the library has it.
template <typename... Parts>
std::string str_cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

}  // namespace sinforge
