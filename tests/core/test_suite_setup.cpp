// testing::SuiteSetup (tests/support/suite_setup.h), which every shared suite setup runs through: a failed
// setup fails each test with its reason. (ASSERT_* in SetUpTestSuite instead made googletest skip the
// suite's tests, and CTest counted them as skipped, not failed: tried on a probe, docs/RELIABILITY.md.)
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "support/suite_setup.h"

namespace sinforge {
namespace {

using testing::SuiteSetup;

TEST(SuiteSetup, AFailedSetupFailsEachTestWithItsReason) {
  static SuiteSetup refused, thrown, fine;  // static: EXPECT_FATAL_FAILURE takes no locals
  refused.run([] { SuiteSetup::require(false, "write_tar_shards.py exited with 1"); });
  EXPECT_FATAL_FAILURE(refused.check(), "write_tar_shards.py exited with 1");
  thrown.run([] { throw std::runtime_error("no space left on device"); });
  EXPECT_FATAL_FAILURE(thrown.check(), "no space left on device");
  fine.run([] { SuiteSetup::require(true, "unused"); });
  fine.check();  // no failure: this test would fail otherwise
}

}  // namespace
}  // namespace sinforge
