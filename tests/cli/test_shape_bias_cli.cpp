// `sinforge shape-bias`, the command: the table, JSON and chart of a known mix; bad input exits 2 naming it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "shape_bias/shape_bias_test_data.h"
#include "sinforge/image/image_io.h"
#include "sinforge/shape_bias/human_categories.h"
#include "sinforge/shape_bias/shape_bias_plot.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::copy_of_stimuli;
using testing::expected;
using testing::fixtures;
using testing::quote;
using testing::TempDir;

testing::CommandResult shape_bias_cli(const std::string& args) {
  return testing::run_shell(quote(testing::cli()) + " shape-bias --device cpu --log-level warn " + args);
}

TEST(ShapeBiasCli, PrintsTheTableAndWritesJsonAndTheChart) {
  TempDir tmp;
  const bool plot = shape_bias_plot_available();
  const auto r = shape_bias_cli("--model " + quote(fixtures() / "mix.pt") + " --stimuli " +
                                quote(fixtures() / "stimuli") + " --json " + quote(tmp / "bias.json") +
                                (plot ? " --plot " + quote(tmp / "bias.png") : std::string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("shape bias 0.512"), std::string::npos) << r.output;
  for (const HumanCategory& c : human_categories())
    EXPECT_NE(r.output.find(c.name), std::string::npos) << c.name;
  EXPECT_NE(r.output.find("64 cue-conflict images decided, 16 left out"), std::string::npos) << r.output;
  const nlohmann::json j = nlohmann::json::parse(testing::read_bytes(tmp / "bias.json"));
  EXPECT_EQ(j["shape_bias"].get<double>(), expected()["shape_bias"].get<double>());
  EXPECT_EQ(j["per_class"]["cat"]["shape"], expected()["per_class"]["cat"]["shape"]);
  EXPECT_EQ(j["left_out_same_class"].get<int>(), 16);
  if (!plot) GTEST_SKIP() << "built without PLplot: --plot not tested";
  const cv::Mat chart = read_image(tmp / "bias.png");
  EXPECT_EQ(chart.cols, 1000);
  EXPECT_EQ(chart.rows, 1100);
}

TEST(ShapeBiasCli, BadInputExitsTwoNamingIt) {
  TempDir tmp;
  const fs::path stimuli = copy_of_stimuli(tmp);
  fs::remove_all(stimuli / "oven");
  auto r = shape_bias_cli("--model " + quote(fixtures() / "shape.pt") + " --stimuli " + quote(stimuli));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("oven"), std::string::npos) << r.output;
  r = shape_bias_cli("--model " + quote(fixtures() / "wrong_size.pt") + " --stimuli " +
                     quote(fixtures() / "stimuli"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("wrong_size.pt"), std::string::npos) << r.output;
  r = shape_bias_cli("--model " + quote(fixtures() / "shape.pt") + " --stimuli " +
                     quote(fixtures() / "stimuli") + " --json " + quote(tmp / "absent" / "bias.json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  r = shape_bias_cli("--stimuli " + quote(fixtures() / "stimuli"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--model is required"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sinforge
