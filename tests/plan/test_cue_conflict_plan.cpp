// The cue-conflict plan (plan/cue_conflict_plan.h): textures only of other classes, drawn as the seed says,
// numbered within classes, named as shape-bias reads stimuli; class folders whose names could not be read
// back, files outside class folders and too few textures are refused before any work.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sinforge/core/error.h"
#include "sinforge/pipeline/preset.h"
#include "sinforge/plan/cue_conflict_plan.h"
#include "sinforge/shape_bias/cue_conflict.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Paths = std::vector<fs::path>;

const Paths kShapes = {"cat/b.jpg", "cat/a.jpg", "dog/x/deep.jpg", "dog/c.png"};
const Paths kTextures = {"cat/t1.jpg", "clock/s.jpg", "clock/r.jpg", "dog/q.jpg", "elephant/e.png"};

TEST(CueConflictPlan, TexturesComeFromOtherClassesOnlyAndNamesAreNumberedWithinClasses) {
  const auto planned = plan_cue_conflict_outputs(kShapes, kTextures, kTextures, {7, 3, true});
  ASSERT_EQ(planned.size(), kShapes.size());
  // Positions in sorted order within each class: cat/a 1, cat/b 2; dog/c.png 1, dog/x/deep.jpg 2; the
  // textures clock/r 1, clock/s 2, and the others 1.
  const std::map<std::string, std::string> number = {
      {"cat/a.jpg", "cat1"}, {"cat/b.jpg", "cat2"}, {"dog/c.png", "dog1"}, {"dog/x/deep.jpg", "dog2"}};
  const std::map<std::string, std::string> texture = {{"cat/t1.jpg", "cat1"},
                                                      {"clock/r.jpg", "clock1"},
                                                      {"clock/s.jpg", "clock2"},
                                                      {"dog/q.jpg", "dog1"},
                                                      {"elephant/e.png", "elephant1"}};
  for (const PlannedContent& p : planned) {
    const std::string shape = top_level_class(p.relative);
    ASSERT_EQ(p.paintings.size(), 3u);
    ASSERT_EQ(p.outputs.size(), 3u);
    EXPECT_EQ(std::set<size_t>(p.paintings.begin(), p.paintings.end()).size(), 3u) << "distinct textures";
    for (size_t k = 0; k < 3; ++k) {
      const fs::path& t = kTextures[p.paintings[k]];
      EXPECT_NE(top_level_class(t), shape) << p.relative << " got " << t;
      const fs::path expected = fs::path(shape) / (number.at(p.relative.generic_string()) + "-" +
                                                   texture.at(t.generic_string()) + ".png");
      EXPECT_EQ(p.outputs[k], expected);
      // What shape-bias --stimuli reads: classes parsed back from the name.
      const auto parsed = parse_cue_conflict_name(p.outputs[k].filename().string());
      ASSERT_TRUE(parsed.has_value()) << p.outputs[k];
      EXPECT_NE(parsed->shape, parsed->texture);
    }
  }
}

TEST(CueConflictPlan, TheDrawIsTheSeedsAndDoesNotDependOnTheOtherContents) {
  const auto all = plan_cue_conflict_outputs(kShapes, kTextures, kTextures, {7, 2, false});
  const auto alone = plan_cue_conflict_outputs({kShapes[2]}, kTextures, kTextures, {7, 2, false});
  EXPECT_EQ(alone[0].paintings, all[2].paintings);
  EXPECT_EQ(all[0].outputs[0].extension(), ".jpg");
  // Another seed changes some draw among the contents.
  bool differs = false;
  for (uint64_t seed = 8; seed < 16 && !differs; ++seed) {
    const auto other = plan_cue_conflict_outputs(kShapes, kTextures, kTextures, {seed, 2, false});
    for (size_t i = 0; i < all.size(); ++i) differs = differs || other[i].paintings != all[i].paintings;
  }
  EXPECT_TRUE(differs);
}

TEST(CueConflictPlan, AnUnusablePaintingRenumbersNoOther) {
  // clock/r.jpg was scanned but is not usable (too small): clock/s.jpg stays clock2.
  const Paths usable = {"cat/t1.jpg", "clock/s.jpg", "dog/q.jpg", "elephant/e.png"};
  const auto planned = plan_cue_conflict_outputs({"cat/a.jpg"}, kTextures, usable, {0, 3, true});
  std::set<std::string> names;
  for (const fs::path& out : planned[0].outputs) names.insert(out.filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"cat1-clock2.png", "cat1-dog1.png", "cat1-elephant1.png"}));
}

TEST(CueConflictPlan, InputsThatCannotMakeReadableStimuliAreRefused) {
  EXPECT_NO_THROW(check_cue_conflict_inputs(kShapes, kTextures, 3));
  // cat has 4 textures of other classes, dog 4: --num-styles 5 is too many.
  EXPECT_THROW(check_cue_conflict_inputs(kShapes, kTextures, 5), UsageError);
  EXPECT_THROW(check_cue_conflict_inputs({"top.jpg"}, kTextures, 1), UsageError);  // no class folder
  EXPECT_THROW(check_cue_conflict_inputs(kShapes, {"top.jpg", "cat/t.jpg"}, 1), UsageError);
  EXPECT_THROW(check_cue_conflict_inputs({"cat2/a.jpg"}, kTextures, 1), UsageError);  // a digit
  EXPECT_THROW(check_cue_conflict_inputs(kShapes, {"tea-pot/t.jpg", "dog/d.jpg"}, 1), UsageError);
  try {
    check_cue_conflict_inputs({"cat2/a.jpg"}, kTextures, 1);
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'cat2'"), std::string::npos) << e.what();
  }
  // Usable paintings can be fewer than the scanned ones: the draw refuses then.
  EXPECT_THROW(pick_other_class_paintings(0, "cat/a.jpg", {"cat/t1.jpg", "dog/q.jpg"}, 2),
               std::runtime_error);
}

TEST(CueConflictPlan, ThePresetIsSin224WithThePairingAndPng) {
  RunOptions sin224, cue;
  apply_preset(resolve_preset("sin224"), sin224);
  apply_preset(resolve_preset("cue-conflict"), cue);
  EXPECT_TRUE(cue.cue_conflict);
  EXPECT_FALSE(sin224.cue_conflict);
  EXPECT_EQ(cue.content, sin224.content);
  EXPECT_EQ(cue.style, sin224.style);
  EXPECT_EQ(cue.output.encoding.format, ImageFormat::kPng);
  EXPECT_EQ(cue.alpha, sin224.alpha);
}

}  // namespace
}  // namespace sinforge
