#include "support/suite_setup.h"

#include <gtest/gtest.h>

#include <exception>
#include <stdexcept>

namespace sinforge::testing {

void SuiteSetup::run(const std::function<void()>& setup) {
  failure_.clear();
  try {
    setup();
  } catch (const std::exception& e) {
    failure_ = e.what();
  }
}

void SuiteSetup::require(bool ok, const std::string& why) {
  if (!ok) throw std::runtime_error(why);
}

void SuiteSetup::check() const {
  if (!failure_.empty()) FAIL() << "the suite's setup (SetUpTestSuite) failed: " << failure_;
}

}  // namespace sinforge::testing
