// The settings record: what it holds (the keys a folder written before a feature existed still matches), how
// differences are named and refused unless --overwrite. What `run` records:
// tests/pipeline/test_run_recipe.cpp.
#include "sinforge/records/run_settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sinforge/core/error.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(RunSettings, DifferencesAreNamedAndRefusedUnlessOverwrite) {
  TempDir tmp;
  const nlohmann::json now = {{"alpha", 1.0}, {"seed", 0}, {"paintings", "1:ab"}};
  check_settings(tmp.path(), now, false);  // nothing recorded yet
  write_settings(tmp.path(), now);
  check_settings(tmp.path(), now, false);
  nlohmann::json other = now;
  other["alpha"] = 0.5;
  EXPECT_EQ(describe_differences(now, other), "alpha (recorded 1.0, now 0.5)");
  const std::string refused =
      testing::error_of<UsageError>([&] { check_settings(tmp.path(), other, false); });
  EXPECT_NE(refused.find("alpha"), std::string::npos) << refused;
  EXPECT_NE(refused.find("--overwrite"), std::string::npos) << refused;
  check_settings(tmp.path(), other, true);
  other.erase("seed");
  other["pairs"] = "x";
  EXPECT_EQ(describe_differences(now, other),
            "alpha (recorded 1.0, now 0.5); pairs (recorded null, now \"x\"); seed (recorded 0, now null)")
      << "a key on one side only is a difference";
}

// Found by fuzz_settings: a record that is valid JSON but no object ("1.0", a list) threw nlohmann's
// type_error out of the comparison instead of the UsageError that names the folder.
TEST(RunSettings, ARecordThatIsNoObjectIsRefusedLikeABrokenOne) {
  TempDir tmp;
  const nlohmann::json now = {{"alpha", 1.0}};
  for (const std::string text : {"1.0", "[1, 2]", "\"settings\"", "null", "{\"alpha\": "}) {
    std::ofstream(settings_path(tmp.path())) << text;
    const std::string m = testing::error_of<UsageError>([&] { check_settings(tmp.path(), now, false); });
    EXPECT_NE(m.find(tmp.path().string()), std::string::npos) << "accepted? " << text << ": " << m;
  }
}

}  // namespace
}  // namespace sinforge
