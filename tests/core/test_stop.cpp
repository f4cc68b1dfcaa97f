// Stopping early: a request is seen and forgotten on demand; SIGTERM and SIGINT ask for a clean stop once
// the handlers are installed, and a second signal ends the process at once.
#include "sinforge/core/stop.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace sinforge {
namespace {

TEST(Stop, ARequestIsSeenUntilCleared) {
  clear_stop();
  EXPECT_FALSE(stop_requested());
  EXPECT_EQ(stop_signal(), 0);
  request_stop(SIGTERM);
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal(), SIGTERM);
  clear_stop();
  EXPECT_FALSE(stop_requested());
}

// In a child process, since the second signal ends it: exit 0 = the first signal only asked for a stop.
int first_signal_asks_second_kills(int signal_number) {
  const pid_t pid = fork();
  if (pid == 0) {
    clear_stop();
    install_stop_handlers();
    raise(signal_number);
    if (stop_signal() != signal_number) _exit(1);
    raise(signal_number);  // the default action now: the process ends here
    _exit(2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(Stop, TheFirstSignalAsksTheSecondKills) {
  for (const int sig : {SIGTERM, SIGINT}) {
    const int status = first_signal_asks_second_kills(sig);
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig << ": exit status " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), sig);
  }
}

}  // namespace
}  // namespace sinforge
