// `sinforge shape-bias`: the 16-class mapping against its published totals, the decision rule (mean, not
// sum, of probabilities), the stimuli's names, and whole measurements on made-up stimuli with tiny
// TorchScript models written by tests/reference/shape_bias_fixtures.py, whose shape bias is known exactly.
#include "sinforge/shape_bias.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "sinforge/classifier.h"
#include "sinforge/cue_conflict.h"
#include "sinforge/device.h"
#include "sinforge/error.h"
#include "sinforge/human_categories.h"
#include "sinforge/image_io.h"
#include "sinforge/shape_bias_plot.h"
#include "sinforge/shape_bias_report.h"
#include "test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// The message of what f throws as E ("" when it does not throw).
template <typename E, typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

// The stimuli, models and expectations of shape_bias_fixtures.py, written once for the whole file.
const fs::path& fixtures() {
  static TempDir dir;
  static const bool written = [] {
    const auto r = testing::run_reference("shape_bias_fixtures.py", quote(dir.path()));
    if (r.exit_code != 0) throw std::runtime_error("shape_bias_fixtures.py failed:\n" + r.output);
    return true;
  }();
  (void)written;
  return dir.path();
}

nlohmann::json expected() { return nlohmann::json::parse(read_text(fixtures() / "expected.json")); }

ShapeBiasReport measure(const std::string& model, const fs::path& stimuli, int batch_size = 32) {
  const auto classifier = load_imagenet_classifier(fixtures() / model, at::kCPU);
  return measure_shape_bias(*classifier, scan_cue_conflict(stimuli), {batch_size});
}

// A copy of the stimuli that a test may damage.
fs::path copy_of_stimuli(const TempDir& tmp) {
  fs::copy(fixtures() / "stimuli", tmp / "stimuli", fs::copy_options::recursive);
  return tmp / "stimuli";
}

// ---- the 16-class mapping ----

TEST(ShapeBiasMapping, DataFileMatchesThePublishedTotals) {
  const fs::path file = testing::source_dir() / "configs" / "shape_bias" / "human_categories.csv";
  const auto table = parse_human_categories(read_text(file), file.string());
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
      read_text(testing::source_dir() / "configs" / "shape_bias" / "human_categories.csv");
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

// ---- whole measurements ----

TEST(ShapeBias, SameClassImagesAreLeftOut) {
  const CueConflictStimuli stimuli = scan_cue_conflict(fixtures() / "stimuli");
  EXPECT_EQ(stimuli.same_class, expected()["left_out"].get<int64_t>());
  EXPECT_EQ(static_cast<int64_t>(stimuli.images.size()), expected()["images"].get<int64_t>());
  for (const CueConflictImage& image : stimuli.images) EXPECT_NE(image.shape, image.texture) << image.path;
}

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
  write_text(stimuli / "cat" / "cat9-dog1.png", "not a PNG at all");
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
  write_text(tmp / "model.pt", "not a zip archive");
  const std::string message =
      error_of<UsageError>([&] { load_imagenet_classifier(tmp / "model.pt", at::kCPU); });
  EXPECT_NE(message.find((tmp / "model.pt").string()), std::string::npos) << message;
  EXPECT_NE(
      error_of<UsageError>([&] { load_imagenet_classifier(tmp / "absent.pt", at::kCPU); }).find("absent.pt"),
      std::string::npos);
}

// ---- the command ----

testing::CommandResult shape_bias_cli(const std::string& args) {
  return testing::run_command(quote(testing::cli()) + " shape-bias --device cpu --log-level warn " + args);
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
  const nlohmann::json j = nlohmann::json::parse(read_text(tmp / "bias.json"));
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
