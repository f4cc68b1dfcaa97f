// The 16-class mapping of the shape-bias test (configs/shape_bias/human_categories.csv): its published
// totals, spot checks against the published lists, and malformed data named by line.
#include "sinforge/shape_bias/human_categories.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "shape_bias/shape_bias_test_data.h"
#include "sinforge/core/error.h"
#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/human_categories.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::error_of;

TEST(ShapeBiasMapping, DataFileMatchesThePublishedTotals) {
  const fs::path file = testing::source_dir() / "configs" / "shape_bias" / "human_categories.csv";
  const auto table = parse_human_categories(testing::read_bytes(file), file.string());
  // model-vs-human's helper/human_categories.py: index counts of each *_indices list, 207 in all.
  const std::map<std::string, size_t> published = {
      {"airplane", 1}, {"bear", 4},  {"bicycle", 2}, {"bird", 49}, {"boat", 5},  {"bottle", 7},
      {"car", 3},      {"cat", 6},   {"chair", 4},   {"clock", 3}, {"dog", 109}, {"elephant", 2},
      {"keyboard", 2}, {"knife", 1}, {"oven", 1},    {"truck", 8}};
  ASSERT_EQ(table.size(), 16u);
  size_t total = 0;
  for (const HumanCategory& c : table) {
    ASSERT_TRUE(published.contains(c.name)) << c.name;
    EXPECT_EQ(c.imagenet_indices.size(), published.at(c.name)) << c.name;
    total += c.imagenet_indices.size();
  }
  EXPECT_EQ(total, 207u);
  // The compiled-in table is this file.
  ASSERT_EQ(human_categories().size(), table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(human_categories()[i].name, table[i].name);
    EXPECT_EQ(human_categories()[i].imagenet_indices, table[i].imagenet_indices);
  }
}

TEST(ShapeBiasMapping, SpotChecksAgainstThePublishedLists) {
  const auto indices = [](const char* name) {
    return human_categories()[human_category_index(name)].imagenet_indices;
  };
  EXPECT_EQ(indices("airplane"), std::vector<int64_t>{404});
  EXPECT_EQ(indices("knife"), std::vector<int64_t>{499});
  EXPECT_EQ(indices("oven"), std::vector<int64_t>{766});
  EXPECT_EQ(indices("bear"), (std::vector<int64_t>{294, 295, 296, 297}));
  EXPECT_EQ(indices("truck"), (std::vector<int64_t>{555, 569, 656, 675, 717, 734, 864, 867}));
  EXPECT_EQ(indices("bird").front(), 8);
  EXPECT_EQ(indices("bird").back(), 145);
  EXPECT_EQ(indices("dog").front(), 152);
  EXPECT_EQ(indices("dog").back(), 268);
  EXPECT_EQ(human_category_index("zebra"), -1);
}

TEST(ShapeBiasMapping, MalformedDataIsRejectedNamingTheLine) {
  const std::string good =
      testing::read_bytes(testing::source_dir() / "configs" / "shape_bias" / "human_categories.csv");
  const auto error = [](const std::string& csv) {
    return error_of<std::runtime_error>([&] { parse_human_categories(csv, "test.csv"); });
  };
  EXPECT_EQ(error(good), "");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_NE(error(replaced("oven,766", "oven,766 499")).find("499 is listed twice"), std::string::npos);
  EXPECT_NE(error(replaced("oven,766", "oven,1000")).find("outside"), std::string::npos);
  EXPECT_NE(error(replaced("oven,766", "oven,7x6")).find("'7x6'"), std::string::npos);
  EXPECT_NE(error(replaced("oven,766\n", "")).find("15 classes"), std::string::npos);
  EXPECT_NE(error(replaced("airplane,", "zebra,")).find("alphabetical"), std::string::npos);
  EXPECT_NE(error(replaced("oven,766", "oven,766 499")).find("test.csv:"), std::string::npos);
}

// ---- the decision rule ----

}  // namespace
}  // namespace sinforge
