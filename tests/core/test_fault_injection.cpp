// The full-disk seam: unset, writes never fail; SINFORGE_FAULT_WRITE_AFTER=N lets N writes pass and fails
// every later one as ENOSPC would, naming the target. The variable is read once per process, so each case
// runs in a child process of its own.
#include "sinforge/core/fault_injection.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace sinforge {
namespace {

// In a child with the variable set (or unset: nullptr), the number of the first `tries` writes that fail;
// 100 + n when a failure did not name the target or ENOSPC.
int failures(const char* limit, int tries) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (limit != nullptr) {
      setenv("SINFORGE_FAULT_WRITE_AFTER", limit, 1);
    } else {
      unsetenv("SINFORGE_FAULT_WRITE_AFTER");
    }
    int failed = 0;
    for (int i = 0; i < tries; ++i) {
      try {
        fail_if_fault_injected("out/img" + std::to_string(i) + ".jpg");
      } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        if (what.find("out/img" + std::to_string(i) + ".jpg") == std::string::npos ||
            what.find("No space left on device") == std::string::npos)
          _exit(100 + i);
        ++failed;
      }
    }
    _exit(failed);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(FaultInjection, UnsetNeverFails) { EXPECT_EQ(failures(nullptr, 20), 0); }

TEST(FaultInjection, TheFirstNWritesPassTheRestFail) {
  EXPECT_EQ(failures("3", 10), 7);
  EXPECT_EQ(failures("0", 5), 5);
  EXPECT_EQ(failures("50", 10), 0);
}

}  // namespace
}  // namespace sinforge
