// Logging: the level names the flags accept, str_cat's concatenation, and the level's filter (what a
// process at --log-level warn prints and what it does not).
#include "sinforge/core/log.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/core/version.h"

namespace sinforge {
namespace {

TEST(Log, LevelNames) {
  EXPECT_EQ(log::parse_level("debug"), log::Level::kDebug);
  EXPECT_EQ(log::parse_level("info"), log::Level::kInfo);
  EXPECT_EQ(log::parse_level("warn"), log::Level::kWarn);
  EXPECT_EQ(log::parse_level("error"), log::Level::kError);
  EXPECT_EQ(log::parse_level("off"), log::Level::kOff);
  for (const char* bad : {"", "INFO", "warning", "verbose"})
    EXPECT_THROW(log::parse_level(bad), UsageError) << bad;
}

TEST(Log, StrCatFoldsItsParts) {
  EXPECT_EQ(str_cat("read ", 3, " images, ", 2.5, " s"), "read 3 images, 2.5 s");
}

// What a child process at the given level writes to stderr for one message of each level.
std::string logged_at(log::Level level) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    log::set_level(level);
    log::debug("m-debug");
    log::info("m-info");
    log::warn("m-warn");
    log::error("m-error");
    std::fflush(nullptr);
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return out;
}

TEST(Log, TheLevelFilters) {
  const std::string warn = logged_at(log::Level::kWarn);
  EXPECT_EQ(warn.find("m-debug"), std::string::npos) << warn;
  EXPECT_EQ(warn.find("m-info"), std::string::npos) << warn;
  EXPECT_NE(warn.find("m-warn"), std::string::npos) << warn;
  EXPECT_NE(warn.find("m-error"), std::string::npos) << warn;
  const std::string debug = logged_at(log::Level::kDebug);
  EXPECT_NE(debug.find("m-debug"), std::string::npos) << debug;
  EXPECT_EQ(logged_at(log::Level::kOff).find("m-"), std::string::npos);
}

TEST(Version, IsTheProjectsVersion) {
  EXPECT_STREQ(version(), SINFORGE_VERSION);
  const std::string v = version();
  EXPECT_EQ(std::count(v.begin(), v.end(), '.'), 2) << v;  // major.minor.patch, as CMake's project() has it
}

}  // namespace
}  // namespace sinforge
