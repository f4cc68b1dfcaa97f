// The settings record: what it holds (the keys a folder written before a feature existed still matches), how
// differences are named and refused unless --overwrite, and the recipe part it shares with the summary.
#include "sinforge/records/run_settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
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
  RunOptions o;
  const auto now = output_settings(o, "aa", "bb", {"p.jpg"});
  check_settings(tmp.path(), now, false);  // nothing recorded yet
  write_settings(tmp.path(), now);
  check_settings(tmp.path(), now, false);
  RunOptions changed = o;
  changed.alpha = 0.5f;
  changed.threads = 7;  // does not change outputs
  changed.batch_size = 1;
  changed.device = "cpu";
  const auto other = output_settings(changed, "aa", "bb", {"p.jpg"});
  EXPECT_EQ(describe_differences(now, other), "alpha (recorded 1.0, now 0.5)");
  const std::string refused =
      testing::error_of<UsageError>([&] { check_settings(tmp.path(), other, false); });
  EXPECT_NE(refused.find("alpha"), std::string::npos) << refused;
  EXPECT_NE(refused.find("--overwrite"), std::string::npos) << refused;
  check_settings(tmp.path(), other, true);
  EXPECT_NE(describe_differences(now, output_settings(o, "aa", "bb", {"q.jpg"})).find("paintings"),
            std::string::npos);
  EXPECT_NE(describe_differences(now, output_settings(o, "zz", "bb", {"p.jpg"})).find("vgg_sha256"),
            std::string::npos);
}

// Found by fuzz_settings: a record that is valid JSON but no object ("1.0", a list) threw nlohmann's
// type_error out of the comparison instead of the UsageError that names the folder.
TEST(RunSettings, ARecordThatIsNoObjectIsRefusedLikeABrokenOne) {
  TempDir tmp;
  const auto now = output_settings(RunOptions{}, "aa", "bb", {"p.jpg"});
  for (const std::string text : {"1.0", "[1, 2]", "\"settings\"", "null", "{\"alpha\": "}) {
    std::ofstream(settings_path(tmp.path())) << text;
    const std::string m = testing::error_of<UsageError>([&] { check_settings(tmp.path(), now, false); });
    EXPECT_NE(m.find(tmp.path().string()), std::string::npos) << "accepted? " << text << ": " << m;
  }
}

// The keys of a folder run's record are the ones every earlier version wrote: a new key would make every
// existing output folder refuse to resume ("holds outputs made with other settings").
TEST(RunSettings, AFolderRunRecordsTheHistoricalKeys) {
  const auto settings = output_settings(RunOptions{}, "aa", "bb", {"p.jpg"});
  std::set<std::string> keys;
  for (const auto& [key, value] : settings.items()) keys.insert(key);
  const std::set<std::string> historical = {
      "vgg_sha256", "decoder_sha256", "num_styles", "alpha",        "content_size",   "style_size",
      "crop",       "output_size",    "style_crop", "style_filter", "style_min_size", "seed",
      "precision",  "format",         "quality",    "extensions",   "paintings"};
  EXPECT_EQ(keys, historical);
  EXPECT_EQ(settings["quality"], 75);
  RunOptions png;
  png.format = ImageFormat::kPng;
  EXPECT_EQ(output_settings(png, "aa", "bb", {"p.jpg"})["quality"], 0) << "PNG ignores the quality";
}

TEST(RunSettings, TheWebDatasetLayoutAddsItsKeys) {
  RunOptions o;
  o.layout = OutputLayout::kWebDataset;
  o.tar_size = 1234;
  o.tar_prefix = "x";
  const auto settings = output_settings(o, "aa", "bb", {"p.jpg"});
  EXPECT_EQ(settings["output_layout"], "webdataset");
  EXPECT_EQ(settings["tar_size"], 1234);
  EXPECT_EQ(settings["tar_prefix"], "x");
}

TEST(RunSettings, TheRecipePartIsInTheRecord) {
  RunOptions o;
  o.alpha = 0.25f;
  o.seed = 9;
  o.style_filter = ResampleFilter::kLanczos;
  const auto recipe = recipe_settings(o);
  const auto settings = output_settings(o, "aa", "bb", {"p.jpg"});
  for (const auto& [key, value] : recipe.items()) EXPECT_EQ(settings[key], value) << key;
  EXPECT_EQ(recipe["seed"], 9);
  EXPECT_EQ(recipe["style_filter"], "lanczos");
  EXPECT_EQ(recipe.count("vgg_sha256"), 0u) << "digests are the record's, not the recipe's";
}

}  // namespace
}  // namespace sinforge
