// `sinforge bench` in miniature: a few cheap figures on the CPU, to show the harness measures and reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "sinforge/core/error.h"
#include "sinforge/tools/bench.h"

namespace sinforge {
namespace {

TEST(Bench, MeasuresTheChosenFiguresOnSyntheticData) {
  BenchOptions o;
  o.device = "cpu";
  o.threads = 1;
  o.recipes = {"sin64"};
  o.repetitions = 2;
  o.min_time = 0.01;
  o.filter = "sin64/(decode|preprocess|postprocess|encode|adain_kernel|adain_torch_ops)/";
  const BenchReport report = run_bench(o);
  EXPECT_EQ(report.device, "cpu");
  EXPECT_EQ(report.batch_size, 1);
  ASSERT_EQ(report.figures.size(), 6u);
  for (const BenchFigure& f : report.figures) {
    EXPECT_GT(f.seconds, 0) << f.name;
    EXPECT_GT(f.images_per_second, 0) << f.name;
    EXPECT_EQ(f.repetitions, 2) << f.name;
  }
  EXPECT_GT(report.figures[4].bytes_per_second, 0);  // the AdaIN figures count bytes moved
  std::ostringstream table;
  print_report(report, table);
  EXPECT_NE(table.str().find("sin64/decode"), std::string::npos);
  EXPECT_EQ(to_json(report)["figures"].size(), 6u);
}

TEST(Bench, RunsTheMixedSizeFiguresAndReportsTheBatching) {
  BenchOptions o;
  o.device = "cpu";
  o.threads = 2;
  o.batch_size = 2;
  o.recipes = {"sin64"};
  o.repetitions = 1;
  o.min_time = 0.01;
  o.mixed_images = 3;
  o.paintings = 1;
  o.filter = "(sin64/end_to_end_mixed|styles/bank_mixed)/";
  const BenchReport report = run_bench(o);
  ASSERT_EQ(report.figures.size(), 2u);
  EXPECT_EQ(report.figures[0].name, "sin64/end_to_end_mixed");
  EXPECT_EQ(report.figures[1].name, "styles/bank_mixed");
  for (const BenchFigure& f : report.figures) EXPECT_GT(f.images_per_second, 0) << f.name;
  // sin64 crops every size to 224: one size, so the three images filled their batches of 2 as far as 3 can.
  EXPECT_DOUBLE_EQ(report.figures[0].batch_fill, 3.0 / 4.0);
  // The batching table: one row per deadline; waiting longer never fills worse on this mix.
  ASSERT_EQ(report.batching.size(), 4u);
  EXPECT_EQ(report.batching[0].stats.images, 20000u);
  EXPECT_LE(report.batching[0].stats.fill(), report.batching[3].stats.fill());
  EXPECT_GT(report.batching[0].stats.fill(), 0.5);  // batch 2: most images find a partner
  std::ostringstream table;
  print_report(report, table);
  EXPECT_NE(table.str().find("% full"), std::string::npos);
}

TEST(Bench, MeasuresDeriveAgainstItsDecodeAndEncodeFloor) {
  BenchOptions o;
  o.device = "cpu";
  o.threads = 2;
  o.recipes = {"sin64"};
  o.repetitions = 1;
  o.min_time = 0.01;
  o.mixed_images = 2;
  o.filter = "derive/(decode_crop_encode|scramble/|false-colour/)";
  const BenchReport report = run_bench(o);
  std::vector<std::string> names;
  for (const BenchFigure& f : report.figures) {
    names.push_back(f.name);
    EXPECT_GT(f.images_per_second, 0) << f.name;
  }
  // A command that wrote fewer outputs than planned (a skip, a failure) fails its figure: it is missing.
  EXPECT_EQ(names, (std::vector<std::string>{"derive/decode_crop_encode", "derive/scramble/derive",
                                             "derive/scramble/command", "derive/false-colour/derive",
                                             "derive/false-colour/command"}));
}

TEST(Bench, ImageNetLikeSizesHaveTheirShares) {
  const auto sizes = imagenet_like_sizes(20000, 1);
  EXPECT_EQ(sizes, imagenet_like_sizes(20000, 1)) << "deterministic in the seed";
  EXPECT_NE(sizes, imagenet_like_sizes(20000, 2));
  const auto share = [&](std::pair<int, int> s) {
    return static_cast<double>(std::count(sizes.begin(), sizes.end(), s)) / static_cast<double>(sizes.size());
  };
  EXPECT_NEAR(share({500, 375}), 0.42, 0.015);
  EXPECT_NEAR(share({375, 500}), 0.12, 0.01);
  EXPECT_NEAR(share({500, 333}), 0.10, 0.01);
  EXPECT_NEAR(share({500, 500}), 0.06, 0.01);
  const std::set<std::pair<int, int>> distinct(sizes.begin(), sizes.end());
  EXPECT_GT(distinct.size(), 500u) << "a long tail of sizes";
  for (const auto& [w, h] : painting_like_sizes(1000, 3)) {
    EXPECT_GE(std::max(w, h), 600);
    EXPECT_LE(std::max(w, h), 2400);
    EXPECT_GE(std::min(w, h), 300);  // aspect ratios within 1:2 .. 2:1
  }
}

TEST(Bench, RejectsBadSettings) {
  EXPECT_THROW(parse_recipes("sin224,huge"), UsageError);
  BenchOptions o;
  o.device = "cpu";
  o.precision = Precision::kFp16;
  EXPECT_THROW(run_bench(o), UsageError);
  o.precision = Precision::kFp32;
  o.vgg = "only-one.pth";
  EXPECT_THROW(run_bench(o), UsageError);
}

}  // namespace
}  // namespace sinforge
