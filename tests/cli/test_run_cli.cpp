// `sinforge run` from the outside: outputs against the PyTorch reference, names, sizes, formats, determinism,
// bad flags and bad weights.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "sinforge/image/image_io.h"
#include "sinforge/image/resize.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::read_bytes;
using testing::run_shell;
using testing::TempDir;

// Random calibrated weights in the official (legacy) format, shared by the tests of this file.
class Cli : public ::testing::Test {
 protected:
  static std::string weight_flags() { return testing::demo_weights().flags(); }
  static testing::CommandResult sinforge(const std::string& args) {
    return run_shell(quote(testing::cli()) + " " + args + " --log-level warn");
  }
  static std::string samples(const char* sub) { return quote(testing::samples_dir() / sub); }

  TempDir tmp_;
};

TEST_F(Cli, OutputsEqualTheReferenceWithinOneLevel) {
  // network_reference.py writes PNG contents and paintings and the reference's 8-bit results.
  TempDir ref;
  const auto r = testing::run_reference("network_reference.py", quote(ref.path()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json manifest = nlohmann::json::parse(read_bytes(ref / "manifest.json"));
  fs::create_directories(tmp_ / "one_style");
  fs::copy_file(ref / "styles" / "style1.png", tmp_ / "one_style" / "style1.png");
  const auto alphas = manifest["alphas"].get<std::vector<double>>();
  for (size_t a = 0; a < alphas.size(); ++a) {
    const fs::path out = tmp_ / ("out" + std::to_string(a));
    const auto run = sinforge(
        "run --content " + quote(ref / "content") + " --styles " + quote(tmp_ / "one_style") + " --out " +
        quote(out) + " --format png --style-size 0 --batch-size 2 --alpha " + std::to_string(alphas[a]) +
        " --vgg " + quote(ref / "vgg_legacy.pth") + " --decoder " + quote(ref / "decoder_zip.pth"));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    for (size_t i = 0; i < manifest["contents"].size(); ++i) {
      const std::string key = "content" + std::to_string(i);
      const cv::Mat actual = read_image(out / (key + ".png"));
      const cv::Mat expected = read_image(ref / (key + "_style1_alpha" + std::to_string(a) + ".png"));
      ASSERT_EQ(actual.size(), expected.size()) << key;
      EXPECT_EQ(actual.cols, manifest["contents"][i]["width"].get<int>());
      cv::Mat diff;
      cv::absdiff(actual, expected, diff);
      double max_diff = 0;
      cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
      EXPECT_LE(max_diff, 1.0) << key << " alpha " << alphas[a];
      double lo = 0, hi = 0;
      cv::minMaxLoc(expected.reshape(1), &lo, &hi);
      EXPECT_GT(hi - lo, 20) << "reference output too flat to test anything";
    }
  }
}

TEST_F(Cli, NamesSizesAndFormats) {
  const fs::path out = tmp_ / "out";
  auto run = sinforge("run --content " + samples("content") + " --styles " + samples("styles") + " --out " +
                      quote(out) + " --content-size 48 --style-size 64" + weight_flags());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::vector<std::string> expected;
  for (const auto& name : testing::output_files_below(testing::samples_dir() / "content")) {
    if (name.ends_with(".jpg")) expected.push_back(name);
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(testing::output_files_below(out), expected);
  for (const auto& name : expected) {
    const cv::Mat in = read_image(testing::samples_dir() / "content" / name);
    const cv::Mat result = read_image(out / name);
    const auto [w, h] = shorter_side_size(in.cols, in.rows, 48);
    EXPECT_EQ(result.cols, w) << name;
    EXPECT_EQ(result.rows, h) << name;
    EXPECT_EQ(read_bytes(out / name).substr(0, 2), "\xFF\xD8") << "not a JPEG: " << name;
  }

  const fs::path multi = tmp_ / "multi";
  run = sinforge("run --content " + samples("content") + " --styles " + samples("styles") + " --out " +
                 quote(multi) + " --content-size 32 --style-size 32 --crop 24 --num-styles 2 --format png" +
                 weight_flags());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto written = testing::output_files_below(multi);
  EXPECT_EQ(written.size(), expected.size() * 2);
  for (const auto& name : written) {
    EXPECT_NE(name.find("-stylized-"), std::string::npos) << name;
    EXPECT_TRUE(name.ends_with(".png")) << name;
    const cv::Mat result = read_image(multi / name);
    EXPECT_EQ(result.cols, 24);
    EXPECT_EQ(result.rows, 24);
    EXPECT_EQ(read_bytes(multi / name).substr(1, 3), "PNG");
  }
}

TEST_F(Cli, RerunsGiveTheSameBytes) {
  const std::string common = "run --content " + samples("content") + " --styles " + samples("styles") +
                             " --content-size 40 --style-size 48 --num-styles 2 --seed 9" + weight_flags();
  ASSERT_EQ(sinforge(common + " --out " + quote(tmp_ / "a")).exit_code, 0);
  ASSERT_EQ(sinforge(common + " --out " + quote(tmp_ / "b") + " --batch-size 1 --threads 1").exit_code, 0);
  const auto files = testing::output_files_below(tmp_ / "a");
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files, testing::output_files_below(tmp_ / "b"));
  for (const auto& f : files) EXPECT_EQ(read_bytes(tmp_ / "a" / f), read_bytes(tmp_ / "b" / f)) << f;
}

TEST_F(Cli, BadContentImagesAreSkippedAndTheRunCompletes) {
  const fs::path content = tmp_ / "content";
  fs::create_directories(content);
  fs::copy_file(testing::samples_dir() / "content" / "chelsea.jpg", content / "good.jpg");
  std::ofstream(content / "garbage.jpg") << "not an image at all";
  std::ofstream(content / "empty.png");
  const std::string jpeg = read_bytes(testing::samples_dir() / "content" / "coffee.jpg");
  std::ofstream(content / "truncated.jpg", std::ios::binary) << jpeg.substr(0, jpeg.size() / 3);
  const fs::path out = tmp_ / "out";
  const auto run = sinforge("run --content " + quote(content) + " --styles " + samples("styles") + " --out " +
                            quote(out) + " --content-size 32 --style-size 32" + weight_flags());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto written = testing::output_files_below(out);
  EXPECT_TRUE(std::find(written.begin(), written.end(), "good.jpg") != written.end());
  EXPECT_TRUE(std::find(written.begin(), written.end(), "garbage.jpg") == written.end());
  EXPECT_NE(run.output.find("garbage.jpg"), std::string::npos) << "the skip must name the file";
  EXPECT_NE(run.output.find("empty.png"), std::string::npos);
  // The records: every written output in the manifest, every skip with its reason, a summary with the counts.
  const auto manifest = read_manifests(out);
  ASSERT_EQ(manifest.size(), 1u);
  EXPECT_EQ(manifest[0].content, "good.jpg");
  EXPECT_EQ(manifest[0].output, "good.jpg");
  const cv::Mat good = read_image(out / "good.jpg");
  EXPECT_EQ(manifest[0].width, good.cols);
  EXPECT_EQ(manifest[0].height, good.rows);
  const auto skipped = read_csv(out / "sinforge.skipped.shard-0-of-1.csv");
  std::vector<std::string> skipped_paths;
  for (size_t i = 1; i < skipped.size(); ++i) {
    EXPECT_EQ(skipped[i][0], "content");
    EXPECT_FALSE(skipped[i][2].empty()) << "a skip needs its reason";
    skipped_paths.push_back(skipped[i][1]);
  }
  std::sort(skipped_paths.begin(), skipped_paths.end());
  EXPECT_EQ(skipped_paths, (std::vector<std::string>{"empty.png", "garbage.jpg", "truncated.jpg"}));
  const nlohmann::json summary =
      nlohmann::json::parse(read_bytes(out / "sinforge.summary.shard-0-of-1.json"));
  EXPECT_EQ(summary["counts"]["outputs_written"], 1);
  EXPECT_EQ(summary["counts"]["contents_skipped"], 3);
  EXPECT_EQ(summary["weights"]["vgg_sha256"].get<std::string>().size(), 64u);
  // --batch-size auto is 4 on the CPU; the one image went through one batch; the bank was built here.
  EXPECT_EQ(summary["settings"]["batch_size"], 4);
  EXPECT_EQ(summary["batching"]["images"], 1);
  EXPECT_EQ(summary["batching"]["batches"], 1);
  EXPECT_GT(summary["paintings_per_second"].get<double>(), 0);
}

struct BadFlag {
  std::string args;
  std::string message;  // a fragment the error must contain
};

TEST_F(Cli, BadFlagsFailBeforeAnyWork) {
  const std::string base = " --content " + samples("content") + " --styles " + samples("styles");
  const fs::path out = tmp_ / "never";
  const std::vector<BadFlag> cases = {
      {base + " --content-size -5", "--content-size"},
      {base + " --style-size -1", "--style-size"},
      {base + " --crop -3", "--crop"},
      {base + " --alpha 1.5", "--alpha"},
      {base + " --alpha -0.1", "--alpha"},
      {base + " --num-styles 0", "--num-styles"},
      {base + " --num-styles 99", "--num-styles"},
      {base + " --quality 0", "--quality"},
      {base + " --png-level 13 --format png", "--png-level must lie in [0, 12]"},
      {base + " --batch-size 0", "--batch-size"},
      {base + " --batch-size many", "--batch-size"},
      {base + " --format gif", "--format"},
      {base + " --precision fp16 --device cpu", "fp16"},
      {base + " --device tpu", "--device"},
      {base + " --no-such-flag", "no-such-flag"},
      {" --content " + quote(tmp_ / "missing") + " --styles " + samples("styles"), "missing"},
      {" --content " + samples("content") + " --styles " + quote(tmp_ / "nostyles"), "nostyles"},
      {" --styles " + samples("styles"), "--content"},
  };
  for (const BadFlag& c : cases) {
    const auto run = sinforge("run" + c.args + " --out " + quote(out) + weight_flags());
    EXPECT_EQ(run.exit_code, 2) << c.args << "\n" << run.output;
    EXPECT_NE(run.output.find(c.message), std::string::npos) << c.args << "\n" << run.output;
    EXPECT_FALSE(fs::exists(out)) << "wrote output for: " << c.args;
  }
}

TEST_F(Cli, OutputThroughASymlinkInsideTheContentIsRefused) {
  // content/linked -> elsewhere: --out content/linked/results resolves outside the content folder, but the
  // scan follows the link, so a rerun would read its own outputs.
  fs::create_directories(tmp_ / "content");
  fs::create_directories(tmp_ / "elsewhere");
  fs::copy_file(testing::samples_dir() / "content" / "chelsea.jpg", tmp_ / "content" / "a.jpg");
  fs::create_directory_symlink(tmp_ / "elsewhere", tmp_ / "content" / "linked");
  const auto run = sinforge("run --content " + quote(tmp_ / "content") + " --styles " + samples("styles") +
                            " --out " + quote(tmp_ / "content" / "linked" / "results") + weight_flags());
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--out must not lie inside"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(tmp_ / "elsewhere" / "results"));
}

TEST_F(Cli, BadWeightsFailBeforeAnyWork) {
  const fs::path out = tmp_ / "never";
  const std::string base =
      "run --content " + samples("content") + " --styles " + samples("styles") + " --out " + quote(out);
  const fs::path vgg = testing::demo_weights().vgg, dec = testing::demo_weights().decoder;
  // The decoder given as the VGG: named, and refused.
  auto run = sinforge(base + " --vgg " + quote(dec) + " --decoder " + quote(dec));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("decoder.pth"), std::string::npos) << run.output;
  // A truncated VGG file.
  const std::string bytes = read_bytes(vgg);
  std::ofstream(tmp_ / "cut.pth", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  run = sinforge(base + " --vgg " + quote(tmp_ / "cut.pth") + " --decoder " + quote(dec));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("cut.pth"), std::string::npos) << run.output;
  // A file that is no torch file at all.
  run = sinforge(base + " --vgg " + samples("content/chelsea.jpg") + " --decoder " + quote(dec));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("chelsea.jpg"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(out));
}

// A weight file built to run code when torch.load opens it (both formats, the payload in the state dict's
// _metadata, where no tensor reader looks): refused with status 2 naming the global, before any work.
TEST_F(Cli, WeightsNamingAForeignGlobalAreRefusedWithStatus2) {
  const fs::path evil = testing::reference_fixture("write_malicious_weights.py", {});
  const fs::path out = tmp_ / "never";
  const fs::path dec = testing::demo_weights().decoder;
  for (const char* file : {"metadata_legacy.pth", "metadata_zip.pth"}) {
    const auto run =
        sinforge("run --content " + samples("content") + " --styles " + samples("styles") + " --out " +
                 quote(out) + " --vgg " + quote(evil / file) + " --decoder " + quote(dec));
    EXPECT_EQ(run.exit_code, 2) << file << "\n" << run.output;
    EXPECT_NE(run.output.find(std::string(file) +
                              ": refused: the state dict pickle names the global 'posix.system'"),
              std::string::npos)
        << run.output;
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists("sinforge-pwned")) << "a payload ran";
}

TEST_F(Cli, HelpAndVersion) {
  auto run = run_shell(quote(testing::cli()) + " run --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* flag : {"--content", "--styles", "--out", "--vgg", "--decoder", "--num-styles", "--alpha",
                           "--content-size", "--style-size", "--crop", "--seed", "--format", "--quality",
                           "--png-level", "--device", "--precision", "--batch-size", "--extensions"}) {
    EXPECT_NE(run.output.find(flag), std::string::npos) << flag;
  }
  run = run_shell(quote(testing::cli()) + " version");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.output.find(SINFORGE_VERSION), std::string::npos);
  EXPECT_EQ(run_shell(quote(testing::cli()) + " frobnicate").exit_code, 2);
}

}  // namespace
}  // namespace sinforge
