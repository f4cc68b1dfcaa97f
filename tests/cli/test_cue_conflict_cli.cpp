// `sinforge run --preset cue-conflict` end to end: class folders of shapes and textures in, a folder out
// that shape-bias's own reader (scan_cue_conflict) takes as it is, every stimulus of another class; a rerun
// resumes; inputs that could not make readable stimuli fail with status 2 before anything is written.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <set>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/records/records.h"
#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/human_categories.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

// An image that differs per (class, n): a gradient with a class-specific colour.
void write_image(const fs::path& file, size_t cls, int n, int rows, int cols) {
  cv::Mat m(rows, cols, CV_8UC3);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uint8_t>(cls * 15), static_cast<uint8_t>(x * 5 + n * 40),
                                        static_cast<uint8_t>(y * 5));
  fs::create_directories(file.parent_path());
  write_file_atomic(file,
                    encode_image(m, file.extension() == ".png" ? ImageFormat::kPng : ImageFormat::kJpeg));
}

class CueConflictCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // The 16 classes: two shapes in cat, one in every other class; one texture per class, two in dog.
    const auto& classes = human_categories();
    for (size_t c = 0; c < classes.size(); ++c) {
      write_image(content_ / classes[c].name / "s0.jpg", c, 0, 48, 56);
      write_image(styles_ / classes[c].name / "t0.png", c, 1, 40, 40);
    }
    write_image(content_ / "cat" / "s1.jpg", 7, 2, 56, 48);
    write_image(styles_ / "dog" / "t1.png", 8, 3, 44, 40);
  }
  testing::CommandResult run(const fs::path& content, const std::string& args, const char* level = "warn") {
    // The preset, made small for the CPU: the recipe's sizes lowered, its pairing and names kept.
    return testing::run_shell(
        quote(testing::cli()) + " run --preset cue-conflict --content " + quote(content) + " --styles " +
        quote(styles_) + " --out " + quote(out_) +
        " --content-size 40 --crop 32 --style-size 32 --style-min-size 0 --device cpu " + args +
        testing::demo_weights().flags() + " --log-level " + level);
  }
  TempDir tmp_;
  fs::path content_ = tmp_ / "shapes", styles_ = tmp_ / "textures", out_ = tmp_ / "stimuli";
};

TEST_F(CueConflictCli, WritesStimuliThatShapeBiasReadsAsTheyAre) {
  const auto r = run(content_, "--num-styles 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const CueConflictStimuli stimuli = scan_cue_conflict(out_);
  EXPECT_EQ(stimuli.images.size(), 17u * 2) << "17 shapes, 2 textures each";
  EXPECT_EQ(stimuli.same_class, 0) << "textures come from other classes";
  EXPECT_TRUE(stimuli.not_images.empty());
  std::set<std::string> names;
  for (const CueConflictImage& image : stimuli.images) {
    EXPECT_NE(image.shape, image.texture);
    names.insert(image.path.filename().string());
    const cv::Mat m = read_image(image.path);
    EXPECT_EQ(m.size(), cv::Size(32, 32)) << image.path;
  }
  // cat's two shapes are cat1 and cat2 (sorted: s0, s1); dog's textures dog1 and dog2.
  size_t cat1 = 0, cat2 = 0;
  for (const std::string& n : names) {
    cat1 += n.rfind("cat1-", 0) == 0 ? 1 : 0;
    cat2 += n.rfind("cat2-", 0) == 0 ? 1 : 0;
    EXPECT_EQ(n.find("dog3"), std::string::npos) << n;
  }
  EXPECT_EQ(cat1, 2u);
  EXPECT_EQ(cat2, 2u);
  const std::string summary = testing::read_bytes(summary_path(out_, ShardId{}));
  EXPECT_NE(summary.find("\"pairing\": \"cue-conflict\""), std::string::npos) << summary;

  // A rerun finds every stimulus done and writes nothing.
  const auto before = testing::output_bytes_below(out_);
  const auto again = run(content_, "--num-styles 2", "info");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("done: 0 images written"), std::string::npos) << again.output;
  EXPECT_EQ(testing::output_bytes_below(out_), before);
  // Without the pairing, into the same folder: refused, naming the setting (outputs would not match names).
  const auto other = run(content_, "--num-styles 2 --cue-conflict=false");
  EXPECT_EQ(other.exit_code, 2) << other.output;
  EXPECT_NE(other.output.find("cue_conflict"), std::string::npos) << other.output;
}

TEST_F(CueConflictCli, InputsThatCannotGiveReadableStimuliFailBeforeAnyOutput) {
  const fs::path bad = tmp_ / "bad";
  fs::copy(content_, bad, fs::copy_options::recursive);
  write_image(bad / "cat2" / "x.jpg", 0, 0, 40, 40);  // a digit in a class name
  auto r = run(bad, "");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'cat2'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out_));
  r = run(content_, "--num-styles 17");  // 16 or 17 textures of other classes per shape class
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--num-styles 17"), std::string::npos) << r.output;
  r = run(content_, "--output-layout webdataset");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(out_));
}

}  // namespace
}  // namespace sinforge
