// `sinforge run`'s progress: plain log lines on a pipe, one redrawn line on a pseudo-terminal.
#include <gtest/gtest.h>

#include <string>

#include "support/fixtures.h"
#include "support/test_util.h"

using sinforge::testing::quote;

namespace sinforge {
namespace {

// A run's stderr on a pipe gets plain log lines; on a pseudo-terminal the redrawn line.
class ProgressCli : public ::testing::Test {
 protected:
  std::string run_args(const std::string& out, const std::string& extra) const {
    return quote(testing::cli()) + " run --content " + quote(testing::samples_dir() / "content") +
           " --styles " + quote(testing::samples_dir() / "styles") + " --out " + out +
           " --content-size 24 --style-size 24 --batch-size 1 --threads 1 --device cpu --vgg " +
           quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder) +
           extra;
  }
  testing::TempDir tmp_;
};

TEST_F(ProgressCli, PipedRunLogsProgressLines) {
  const auto run = testing::run_shell(run_args(quote(tmp_ / "out"), " --progress-interval 0.000001"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("progress: 5/5 images (100.0%)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("progress: 1/5 images"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find('\r'), std::string::npos) << "no carriage returns in a log";

  const auto quiet = testing::run_shell(run_args(quote(tmp_ / "quiet"), " --progress-interval 0"));
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("progress:"), std::string::npos) << quiet.output;

  const auto bad = testing::run_shell(run_args(quote(tmp_ / "never"), " --progress-interval -1"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--progress-interval"), std::string::npos) << bad.output;
}

TEST_F(ProgressCli, TerminalRunRedrawsOneLine) {
  if (testing::run_shell("command -v script").exit_code != 0) GTEST_SKIP() << "no script(1) for a pty";
  // script(1) runs the command on a pseudo-terminal and copies what it prints to our pipe.
  const std::string command = run_args(tmp_.path().string() + "/out", "");
  const auto run = testing::run_shell("script -qec \"" + command + "\" /dev/null");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("\r\033[K5/5 images (100.0%)"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("progress:"), std::string::npos) << "a terminal gets no progress log lines";
}

}  // namespace
}  // namespace sinforge
