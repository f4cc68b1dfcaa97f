// `sinforge bench` in miniature: a few cheap figures on the CPU, to show the harness measures and reports.
#include <gtest/gtest.h>

#include <sstream>

#include "sinforge/bench.h"
#include "sinforge/error.h"

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
