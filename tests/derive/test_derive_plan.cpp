#include "sinforge/derive/derive_plan.h"

#include <gtest/gtest.h>

#include "sinforge/core/error.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> names(const DerivedContent& c, const DeriveOptions& o) {
  std::vector<std::string> out;
  for (const DerivedOutput& d : derived_outputs(c, o)) out.push_back(d.output.generic_string());
  return out;
}

TEST(DerivePlan, ScrambleNamesAreStemBlockPixelsCopyInGridOrder) {
  DeriveOptions o;
  o.grids = {8, 2};
  o.copies = 2;
  o.original = true;
  const auto planned = plan_derived({"n01/x.JPEG"}, o);
  EXPECT_EQ(names(planned[0], o),
            (std::vector<std::string>{"n01/x_28_0.JPEG", "n01/x_28_1.JPEG", "n01/x_112_0.JPEG",
                                      "n01/x_112_1.JPEG", "n01/x_original.JPEG"}));
  const auto outs = derived_outputs(planned[0], o);
  EXPECT_EQ(outs[0].derivation.rfind("scramble grid=8 copy=0 order=", 0), 0u);
}

TEST(DerivePlan, PatchNamesCountSinglesThenAll) {
  DeriveOptions o;
  o.variant = DeriveVariant::kPatch;
  o.patch_sizes = {70};
  o.output.encoding.format = ImageFormat::kPng;
  const auto planned = plan_derived({"a/y.jpg"}, o);
  EXPECT_EQ(names(planned[0], o), (std::vector<std::string>{"a/y_70_0.png", "a/y_70_1.png", "a/y_70_2.png",
                                                            "a/y_70_3.png", "a/y_70_4.png"}));
  EXPECT_EQ(derived_outputs(planned[0], o).back().derivation, "patch size=70 all 4");
  o.patch_sizes = {10, 20, 30, 40, 50, 60, 70};
  EXPECT_EQ(derived_outputs(planned[0], o).size(), 201u);  // the thesis's count per image
}

TEST(DerivePlan, ManipulationsGoToAFolderPerLevelAsGiven) {
  DeriveOptions o;
  o.variant = DeriveVariant::kContrast;
  o.levels = {"0.10", "1"};
  o.original = true;
  const auto planned = plan_derived({"c/z.png"}, o);
  EXPECT_EQ(names(planned[0], o),
            (std::vector<std::string>{"contrast-0.10/c/z.jpg", "contrast-1/c/z.jpg", "original/c/z.jpg"}));
  EXPECT_DOUBLE_EQ(derived_outputs(planned[0], o)[0].value, 0.1);
}

TEST(DerivePlan, TwoContentsThatWouldShareANameKeepApart) {
  DeriveOptions o;
  o.grids = {2};
  o.copies = 1;
  o.output.encoding.format = ImageFormat::kPng;
  const auto planned = plan_derived({"d/a.jpg", "d/a.png"}, o);
  EXPECT_EQ(names(planned[0], o), std::vector<std::string>{"d/a_112_0.png"});
  EXPECT_EQ(names(planned[1], o), std::vector<std::string>{"d/a.png_112_0.png"});
}

TEST(DerivePlan, LevelsAreCheckedInTheirRulesUnits) {
  EXPECT_DOUBLE_EQ(parse_level(DeriveVariant::kContrast, "0.05"), 0.05);
  EXPECT_THROW(parse_level(DeriveVariant::kContrast, "5"), UsageError);  // a fraction, not percent
  EXPECT_THROW(parse_level(DeriveVariant::kContrast, "0.1x"), UsageError);
  EXPECT_TRUE(std::isinf(parse_level(DeriveVariant::kHighPass, "inf")));
  EXPECT_THROW(parse_level(DeriveVariant::kLowPass, "inf"), UsageError);
  EXPECT_THROW(parse_level(DeriveVariant::kRotation, "45"), UsageError);
  EXPECT_EQ(parse_level(DeriveVariant::kGreyscale, "bw"), 1);
  EXPECT_EQ(parse_level(DeriveVariant::kPowerEqualise, "equalised"), 1);
  DeriveOptions o;
  o.variant = DeriveVariant::kSaltAndPepper;
  EXPECT_EQ(derive_levels(o).size(), 8u);  // the published levels by default
}

}  // namespace
}  // namespace sinforge
