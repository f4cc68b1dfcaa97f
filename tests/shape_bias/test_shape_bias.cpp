// `sinforge shape-bias`: the 16-class mapping against its published totals, the decision rule (mean, not
// sum, of probabilities), the stimuli's names, and whole measurements on made-up stimuli with tiny
// TorchScript models written by tests/reference/shape_bias_fixtures.py, whose shape bias is known exactly.
#include "sinforge/shape_bias/shape_bias.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "shape_bias/shape_bias_test_data.h"
#include "sinforge/core/device.h"
#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "sinforge/shape_bias/classifier.h"
#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/human_categories.h"
#include "sinforge/shape_bias/shape_bias_plot.h"
#include "sinforge/shape_bias/shape_bias_report.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::copy_of_stimuli;
using testing::error_of;
using testing::expected;
using testing::fixtures;
using testing::measure;
using testing::quote;
using testing::TempDir;

TEST(ShapeBiasDecision, TheMeanNotTheSumOfProbabilitiesDecides) {
  at::Tensor logits = at::zeros({1, 1000});
  for (const int64_t i : human_categories()[human_category_index("dog")].imagenet_indices) logits[0][i] = 3.0;
  logits[0][499] = 5.0;  // knife: one index, a higher probability than any dog index, far less than all dogs
  EXPECT_EQ(decide_human_categories(logits), std::vector<int>{human_category_index("knife")});
  const at::Tensor scores = human_category_probabilities(logits);
  EXPECT_EQ(scores.size(0), 1);
  EXPECT_EQ(scores.size(1), 16);
  const at::Tensor p = at::softmax(logits, 1);
  EXPECT_FLOAT_EQ(scores[0][human_category_index("knife")].item<float>(), p[0][499].item<float>());
}

TEST(ShapeBiasDecision, AnExactTieGoesToTheFirstClassAlphabetically) {
  at::Tensor logits = at::zeros({2, 1000});
  for (const int64_t i : {766, 499}) logits[0][i] = 9.0;  // oven, knife
  for (const int64_t i : {766, 404}) logits[1][i] = 9.0;  // oven, airplane
  EXPECT_EQ(decide_human_categories(logits),
            (std::vector<int>{human_category_index("knife"), human_category_index("airplane")}));
}

// ---- the stimuli's names ----

// ---- whole measurements ----

TEST(ShapeBias, AModelThatAlwaysAnswersTheShapeGivesOne) {
  const ShapeBiasReport report = measure("shape.pt", fixtures() / "stimuli");
  EXPECT_EQ(report.total().shape_bias(), 1.0);
  EXPECT_EQ(report.total().images(), 64);
  EXPECT_EQ(report.total().texture, 0);
  EXPECT_EQ(report.same_class_left_out, 16);
  EXPECT_EQ(report.resized, 1);  // the one 300x256 stimulus went through Resize(256) + CenterCrop(224)
  for (const ShapeBiasTally& t : report.per_class) EXPECT_EQ(t.shape, 4);
  EXPECT_TRUE(report.skipped.empty());
}

TEST(ShapeBias, AModelThatAlwaysAnswersTheTextureGivesZero) {
  const ShapeBiasReport report = measure("texture.pt", fixtures() / "stimuli");
  EXPECT_EQ(report.total().shape_bias(), 0.0);
  EXPECT_EQ(report.total().texture, 64);
  EXPECT_EQ(report.total().texture_share(), 1.0);
}

TEST(ShapeBias, AKnownMixGivesItsFractionExactly) {
  const nlohmann::json want = expected();
  for (const int batch_size : {1, 7, 64}) {
    const ShapeBiasReport report = measure("mix.pt", fixtures() / "stimuli", batch_size);
    EXPECT_EQ(report.total().shape_bias(), want["shape_bias"].get<double>()) << batch_size;
    EXPECT_EQ(report.total().shape, want["shape"].get<int64_t>());
    EXPECT_EQ(report.total().texture, want["texture"].get<int64_t>());
    for (size_t c = 0; c < human_categories().size(); ++c) {
      const nlohmann::json& w = want["per_class"][human_categories()[c].name];
      EXPECT_EQ(report.per_class[c].shape, w["shape"].get<int64_t>()) << human_categories()[c].name;
      EXPECT_EQ(report.per_class[c].texture, w["texture"].get<int64_t>()) << human_categories()[c].name;
      EXPECT_EQ(report.per_class[c].other, w["other"].get<int64_t>()) << human_categories()[c].name;
    }
  }
}

TEST(ShapeBias, OnAGpuTheDecisionsAreTheCpusDecisions) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto classifier = load_imagenet_classifier(fixtures() / "mix.pt", at::Device(at::kCUDA, 0));
  const ShapeBiasReport gpu = measure_shape_bias(*classifier, scan_cue_conflict(fixtures() / "stimuli"));
  const ShapeBiasReport cpu = measure("mix.pt", fixtures() / "stimuli");
  for (size_t c = 0; c < gpu.per_class.size(); ++c) {
    EXPECT_EQ(gpu.per_class[c].shape, cpu.per_class[c].shape) << human_categories()[c].name;
    EXPECT_EQ(gpu.per_class[c].texture, cpu.per_class[c].texture) << human_categories()[c].name;
  }
  EXPECT_EQ(gpu.total().shape_bias(), expected()["shape_bias"].get<double>());
}

TEST(ShapeBias, AnUnreadableStimulusIsSkippedAndReportedNotCounted) {
  TempDir tmp;
  const fs::path stimuli = copy_of_stimuli(tmp);
  testing::write_bytes(stimuli / "cat" / "cat9-dog1.png", "not a PNG at all");
  const ShapeBiasReport report = measure("shape.pt", stimuli);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].path, stimuli / "cat" / "cat9-dog1.png");
  EXPECT_EQ(report.total().images(), 64);
  std::ostringstream printed;
  print_shape_bias(report, printed);
  EXPECT_NE(printed.str().find("1 unreadable skipped"), std::string::npos) << printed.str();
  EXPECT_NE(printed.str().find("cat9-dog1.png"), std::string::npos) << printed.str();
  EXPECT_EQ(shape_bias_json(report)["skipped"].size(), 1u);
}

TEST(ShapeBias, AMalformedNameFailsNamingTheFile) {
  TempDir tmp;
  const fs::path stimuli = copy_of_stimuli(tmp);
  fs::copy_file(stimuli / "cat" / "cat2-dog11.png", stimuli / "cat" / "cat2_dog11.png");
  EXPECT_NE(error_of<UsageError>([&] { scan_cue_conflict(stimuli); }).find("cat2_dog11.png"),
            std::string::npos);
}

TEST(ShapeBias, AShapeThatIsNotItsFoldersFailsNamingTheFile) {
  TempDir tmp;
  const fs::path stimuli = copy_of_stimuli(tmp);
  fs::copy_file(stimuli / "cat" / "cat2-dog11.png", stimuli / "cat" / "dog2-bird4.png");
  EXPECT_NE(error_of<UsageError>([&] { scan_cue_conflict(stimuli); }).find("dog2-bird4.png"),
            std::string::npos);
}

TEST(ShapeBias, AMissingClassFolderFailsNamingIt) {
  TempDir tmp;
  const fs::path stimuli = copy_of_stimuli(tmp);
  fs::remove_all(stimuli / "oven");
  const std::string message = error_of<UsageError>([&] { scan_cue_conflict(stimuli); });
  EXPECT_NE(message.find((stimuli / "oven").string()), std::string::npos) << message;
}

TEST(ShapeBias, AModelWithTheWrongOutputSizeFailsNamingIt) {
  const std::string message = error_of<UsageError>([] { measure("wrong_size.pt", fixtures() / "stimuli"); });
  EXPECT_NE(message.find("wrong_size.pt"), std::string::npos) << message;
  EXPECT_NE(message.find("1000"), std::string::npos) << message;
}

TEST(ShapeBias, AFileThatIsNoModelFailsNamingIt) {
  TempDir tmp;
  testing::write_bytes(tmp / "model.pt", "not a zip archive");
  const std::string message =
      error_of<UsageError>([&] { load_imagenet_classifier(tmp / "model.pt", at::kCPU); });
  EXPECT_NE(message.find((tmp / "model.pt").string()), std::string::npos) << message;
  EXPECT_NE(
      error_of<UsageError>([&] { load_imagenet_classifier(tmp / "absent.pt", at::kCPU); }).find("absent.pt"),
      std::string::npos);
}

}  // namespace
}  // namespace sinforge
