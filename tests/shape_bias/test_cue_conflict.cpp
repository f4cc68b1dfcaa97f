// The cue-conflict stimuli: shape and texture read from a file's name, and a folder's scan leaving out the
// images whose shape and texture are one class.
#include "sinforge/shape_bias/cue_conflict.h"

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
using testing::expected;
using testing::fixtures;

TEST(ShapeBiasNames, ShapeAndTextureComeFromTheName) {
  const auto cat_elephant = parse_cue_conflict_name("cat3-elephant10.png");
  ASSERT_TRUE(cat_elephant.has_value());
  EXPECT_EQ(cat_elephant->shape, human_category_index("cat"));
  EXPECT_EQ(cat_elephant->texture, human_category_index("elephant"));
  ASSERT_TRUE(parse_cue_conflict_name("airplane1-airplane2.PNG").has_value());
  for (const char* bad : {"cat3_elephant10.png", "cat-elephant1.png", "cat3-zebra1.png", "cat3-elephant1.jpg",
                          "cat3-dog1-bird2.png", "3cat-dog1.png", "cat3-dog1x.png", ".png", "cat3-.png"}) {
    EXPECT_FALSE(parse_cue_conflict_name(bad).has_value()) << bad;
  }
}

TEST(CueConflict, SameClassImagesAreLeftOut) {
  const CueConflictStimuli stimuli = scan_cue_conflict(fixtures() / "stimuli");
  EXPECT_EQ(stimuli.same_class, expected()["left_out"].get<int64_t>());
  EXPECT_EQ(static_cast<int64_t>(stimuli.images.size()), expected()["images"].get<int64_t>());
  for (const CueConflictImage& image : stimuli.images) EXPECT_NE(image.shape, image.texture) << image.path;
}

}  // namespace
}  // namespace sinforge
