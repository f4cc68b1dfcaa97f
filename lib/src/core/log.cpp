// The only file that includes spdlog (see log.h for why). Messages go to stderr, so stdout stays clean for
// machine-readable output.
#include "sinforge/core/log.h"

#include <atomic>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "sinforge/core/error.h"

namespace sinforge::log {
namespace {

spdlog::logger& logger() {
  static auto instance = [] {
    auto l = spdlog::stderr_color_mt("sinforge");
    l->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v");
    return l;
  }();
  return *instance;
}

std::atomic<Level> current_level{Level::kInfo};  // spdlog's own level is per logger and spdlog's type

}  // namespace

Level level() { return current_level.load(); }

void set_level(Level level) {
  current_level.store(level);
  switch (level) {
    case Level::kDebug:
      logger().set_level(spdlog::level::debug);
      break;
    case Level::kInfo:
      logger().set_level(spdlog::level::info);
      break;
    case Level::kWarn:
      logger().set_level(spdlog::level::warn);
      break;
    case Level::kError:
      logger().set_level(spdlog::level::err);
      break;
    case Level::kOff:
      logger().set_level(spdlog::level::off);
      break;
  }
}

Level parse_level(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  if (name == "off") return Level::kOff;
  throw UsageError("unknown log level '" + std::string(name) +
                   "' (expected debug, info, warn, error or off)");
}

void debug(std::string_view message) { logger().debug("{}", message); }
void info(std::string_view message) { logger().info("{}", message); }
void warn(std::string_view message) { logger().warn("{}", message); }
void error(std::string_view message) { logger().error("{}", message); }

}  // namespace sinforge::log
