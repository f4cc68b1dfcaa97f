// SuiteSetup: a suite's shared setup (SetUpTestSuite) whose failure fails every test of the suite.
//
// Why not ASSERT_* in SetUpTestSuite: googletest then skips every test of the suite and prints
// "[  SKIPPED ]" for each, and CTest (gtest_discover_tests' SKIP_REGULAR_EXPRESSION, which a project cannot
// take back: CTest adds every expression it is given) counts a test whose output holds that as skipped,
// whatever its exit status. A suite whose setup broke would pass CI. So the setup runs inside run(), which
// keeps the first failure instead of reporting it, and each test's SetUp() calls check(), which fails that
// test with the reason.
#pragma once

#include <functional>
#include <string>

namespace sinforge::testing {

class SuiteSetup {
 public:
  // Runs setup; a std::exception it throws (require's, or any other) is kept as the failure.
  void run(const std::function<void()>& setup);
  // In setup: throws, ending it, unless ok; why says what failed (a command's output, say).
  static void require(bool ok, const std::string& why);
  // In SetUp(): a fatal failure of the current test when the suite's setup failed.
  void check() const;

 private:
  std::string failure_;
};

}  // namespace sinforge::testing
