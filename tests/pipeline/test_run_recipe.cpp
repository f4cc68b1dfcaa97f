// What `sinforge run` records as its settings: the keys a folder written before a feature existed still
// matches, what is a difference (and what is free to differ: threads, batch, device), and the recipe part
// it shares with the summary.
#include "sinforge/pipeline/run_recipe.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/records/run_settings.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

using testing::TempDir;

TEST(RunRecipe, WhatChangesOutputsIsADifferenceAndNothingElse) {
  TempDir tmp;
  RunOptions o;
  const auto now = output_settings(o, "aa", "bb", {"p.jpg"});
  check_settings(tmp.path(), now, false);  // nothing recorded yet
  write_settings(tmp.path(), now);
  check_settings(tmp.path(), now, false);
  RunOptions changed = o;
  changed.alpha = 0.5f;
  changed.session.threads = 7;  // does not change outputs
  changed.batch_size = 1;
  changed.session.device = "cpu";
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

// The keys of a folder run's record are the ones every earlier version wrote: a new key would make every
// existing output folder refuse to resume ("holds outputs made with other settings").
TEST(RunRecipe, AFolderRunRecordsTheHistoricalKeys) {
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
  png.output.encoding.format = ImageFormat::kPng;
  EXPECT_EQ(output_settings(png, "aa", "bb", {"p.jpg"})["quality"], 0) << "PNG ignores the quality";
}

TEST(RunRecipe, TheWebDatasetLayoutAddsItsKeys) {
  RunOptions o;
  o.output.layout = OutputLayout::kWebDataset;
  o.output.tar_size = 1234;
  o.output.tar_prefix = "x";
  const auto settings = output_settings(o, "aa", "bb", {"p.jpg"});
  EXPECT_EQ(settings["output_layout"], "webdataset");
  EXPECT_EQ(settings["tar_size"], 1234);
  EXPECT_EQ(settings["tar_prefix"], "x");
}

TEST(RunRecipe, TheRecipePartIsInTheRecord) {
  RunOptions o;
  o.alpha = 0.25f;
  o.seed = 9;
  o.style.filter = ResampleFilter::kLanczos;
  const auto recipe = recipe_settings(o);
  const auto settings = output_settings(o, "aa", "bb", {"p.jpg"});
  for (const auto& [key, value] : recipe.items()) EXPECT_EQ(settings[key], value) << key;
  EXPECT_EQ(recipe["seed"], 9);
  EXPECT_EQ(recipe["style_filter"], "lanczos");
  EXPECT_EQ(recipe.count("vgg_sha256"), 0u) << "digests are the record's, not the recipe's";
}

}  // namespace
}  // namespace sinforge
