// The plan: every content image's paintings (the pairing's picks) and output names, unique even when two
// inputs would share a name (the documented a.png.png), and the same whatever the shard or rerun.
#include "sinforge/plan/output_plan.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "sinforge/plan/pairing.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

const std::vector<fs::path> kPaintings = {"p/a.jpg", "p/b.jpg", "q/c.png", "q/d.jpg", "q/e.jpg"};

std::set<fs::path> all_outputs(const std::vector<PlannedContent>& plan) {
  std::set<fs::path> out;
  for (const PlannedContent& p : plan) out.insert(p.outputs.begin(), p.outputs.end());
  return out;
}

TEST(OutputPlan, PairsEachContentAsThePairingDoes) {
  const std::vector<fs::path> contents = {"x/1.JPEG", "x/2.png", "y/3.jpg"};
  const auto plan = plan_outputs(contents, kPaintings, {7, 2, false});
  ASSERT_EQ(plan.size(), contents.size());
  for (size_t i = 0; i < contents.size(); ++i) {
    EXPECT_EQ(plan[i].relative, contents[i]);
    EXPECT_EQ(plan[i].paintings, pick_paintings(7, contents[i].generic_string(), kPaintings.size(), 2));
    ASSERT_EQ(plan[i].outputs.size(), 2u);
  }
}

TEST(OutputPlan, NamesFollowTheOutputRule) {
  const auto one = plan_outputs({"x/1.JPEG", "x/2.png"}, kPaintings, {0, 1, false});
  EXPECT_EQ(one[0].outputs[0], fs::path("x/1.JPEG")) << "ImageNet's .JPEG stays";
  EXPECT_EQ(one[1].outputs[0], fs::path("x/2.jpg"));
  const auto png = plan_outputs({"x/1.JPEG"}, kPaintings, {0, 1, true});
  EXPECT_EQ(png[0].outputs[0], fs::path("x/1.png"));
  const auto two = plan_outputs({"x/1.JPEG"}, kPaintings, {0, 2, false});
  const std::vector<std::string> labels = painting_labels(kPaintings);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(two[0].outputs[k], fs::path("x/1-stylized-" + labels[two[0].paintings[k]] + ".JPEG"));
  }
}

TEST(OutputPlan, TheLaterOfTwoClashingInputsKeepsItsExtension) {
  // a.jpg and a.png both become a.png with --format png: the later one in the list is a.png.png.
  const auto plan = plan_outputs({"d/a.jpg", "d/a.png"}, kPaintings, {0, 1, true});
  EXPECT_EQ(plan[0].outputs[0], fs::path("d/a.png"));
  EXPECT_EQ(plan[1].outputs[0], fs::path("d/a.png.png"));
  // JPEG output: a.png's usual a.jpg is a.jpg's own name.
  const auto jpeg = plan_outputs({"d/a.jpg", "d/a.png"}, kPaintings, {0, 1, false});
  EXPECT_EQ(jpeg[0].outputs[0], fs::path("d/a.jpg"));
  EXPECT_EQ(jpeg[1].outputs[0], fs::path("d/a.png.jpg"));
  // Only names in the same folder clash.
  const auto apart = plan_outputs({"d/a.jpg", "e/a.png"}, kPaintings, {0, 1, true});
  EXPECT_EQ(apart[1].outputs[0], fs::path("e/a.png"));
}

TEST(OutputPlan, ClashesWithSeveralStylesKeepThePaintingsLabel) {
  // Every pick of both inputs from two paintings: their usual names all clash.
  const std::vector<fs::path> two_paintings = {"p/a.jpg", "p/b.jpg"};
  const auto plan = plan_outputs({"d/a.jpg", "d/a.png"}, two_paintings, {3, 2, true});
  const auto outputs = all_outputs(plan);
  EXPECT_EQ(outputs.size(), 4u) << "four outputs, four names";
  for (const fs::path& o : plan[1].outputs) {
    EXPECT_TRUE(o.filename().string().starts_with("a.png-stylized-")) << o;
  }
}

TEST(OutputPlan, AClashFreeNameThatIsTakenToo) {
  // a.png.png is a content's own output; a.png's fallback name is then taken as well.
  const auto plan = plan_outputs({"d/a.jpg", "d/a.png", "d/a.png.png"}, kPaintings, {0, 1, true});
  EXPECT_EQ(all_outputs(plan).size(), 3u);
}

TEST(OutputPlan, NamesDependOnTheWholeListNotTheShard) {
  const std::vector<fs::path> contents = {"d/a.jpg", "d/a.png", "d/b.jpg", "e/c.jpg"};
  const auto whole = plan_outputs(contents, kPaintings, {5, 1, true});
  const auto again = plan_outputs(contents, kPaintings, {5, 1, true});
  for (size_t i = 0; i < contents.size(); ++i) {
    EXPECT_EQ(whole[i].outputs, again[i].outputs);
    EXPECT_EQ(whole[i].paintings, again[i].paintings);
  }
}

TEST(OutputPlan, AListedPlanHoldsTheListedPairsOnly) {
  const std::vector<fs::path> contents = {"x/1.jpg", "x/2.jpg", "y/3.png"};
  const std::vector<fs::path> usable = {"p/a.jpg", "p/b.jpg", "q/c.png"};  // p/gone.jpg was unreadable
  ExplicitPairs pairs;  // as read_pairs_file gives it: in k order
  pairs.paintings_of = {
      {"y/3.png", {"p/a.jpg", "q/c.png"}}, {"x/1.jpg", {"p/gone.jpg"}}, {"x/2.jpg", {"p/b.jpg"}}};
  std::vector<std::pair<std::string, std::string>> dropped;
  const auto plan = plan_listed_outputs(contents, usable, pairs, false, &dropped);
  ASSERT_EQ(plan.size(), 2u) << "x/1.jpg lists only an unusable painting; nothing else is planned";
  EXPECT_EQ(plan[0].relative, fs::path("x/2.jpg"));
  EXPECT_EQ(plan[0].paintings, (std::vector<size_t>{1}));
  EXPECT_EQ(plan[1].relative, fs::path("y/3.png"));
  EXPECT_EQ(plan[1].paintings, (std::vector<size_t>{0, 2}));
  // y/3.png lists two paintings, so every output takes the several-style name, as --num-styles 2 gives it.
  EXPECT_EQ(plan[0].outputs[0], fs::path("x/2-stylized-b.jpg"));
  EXPECT_EQ(plan[1].outputs, (std::vector<fs::path>{"y/3-stylized-a.jpg", "y/3-stylized-c.jpg"}));
  EXPECT_EQ(dropped, (std::vector<std::pair<std::string, std::string>>{{"x/1.jpg", "p/gone.jpg"}}));
}

}  // namespace
}  // namespace sinforge
