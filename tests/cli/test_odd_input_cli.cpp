// Bad and odd input through the CLI (issue 3): colour modes, a PNG named .JPEG, EXIF rotation, extensions in
// any case, awkward names, a deep tree, symlinks and a symlink cycle, a folder named like an image, broken
// and too small files, an unreadable painting. The run completes; good inputs give one output each under
// the mirrored name and size, bad ones none and a row in the skipped record.
#include <gtest/gtest.h>

#include <map>

#include "sinforge/image/image_io.h"
#include "sinforge/plan/shard.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

class OddInput : public ::testing::Test {
 protected:
  // One tree of odd inputs, shared by the tests of this file; the run over it is made on first use.
  static void SetUpTestSuite() {
    setup_.run([] {
      dir_ = new TempDir();
      auto r = testing::run_reference("make_odd_inputs.py", quote(dir_->path()));
      testing::SuiteSetup::require(r.exit_code == 0, r.output);
    });
  }
  void SetUp() override { setup_.check(); }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
    run_ = nullptr;
    dir_ = nullptr;
  }
  static const testing::CommandResult& odd_run() {
    // timeout: a symlink cycle must not hang the scan.
    if (run_ == nullptr) {
      run_ = new testing::CommandResult(testing::run_shell("timeout 300 " + quote(testing::cli()) + " run" +
                                                           flags() + " --out " + quote(out())));
    }
    return *run_;
  }
  static std::string flags() {
    return " --content " + quote(*dir_ / "content") + " --styles " + quote(*dir_ / "styles") +
           " --style-size 32 --device cpu --log-level warn --vgg " + quote(testing::demo_weights().vgg) +
           " --decoder " + quote(testing::demo_weights().decoder);
  }
  static fs::path out() { return *dir_ / "out"; }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* dir_ = nullptr;
  static inline testing::CommandResult* run_ = nullptr;
};

TEST_F(OddInput, OneOutputPerGoodInputUnderTheMirroredName) {
  const auto& run = odd_run();
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // The symlinked folder "alias" -> "real" holds the same file as "real": listed once, under the first
  // path in sorted order. "loop/back" -> ".." is a cycle: nothing below it is listed again.
  const std::vector<std::string> expected = {
      "Mixed.JpEg",  // a JPEG extension is kept as written, whatever its case
      "UPPER.JPG",
      "alias/inside.jpg",
      "cmyk.jpg",
      "d01/d02/d03/d04/d05/d06/d07/d08/d09/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/d21/d22/d23/d24/d25/"
      "d26/d27/d28/d29/d30/leaf.jpg",
      "exif_rotated.jpg",
      "folder.jpg/inner.jpg",  // a folder named like an image is a folder
      "gray.jpg",
      "linked/far.jpg",  // a symlinked folder outside the tree is followed
      "png_named.JPEG",  // decoded as the PNG it is
      "progressive.jpg",
      "rgba.jpg",  // a PNG written as JPEG gets .jpg
      "with space.jpg",
      "ünïcödé 猫.jpg",
  };
  EXPECT_EQ(testing::output_files_below(out()), expected);
  EXPECT_FALSE(fs::exists(out() / "real" / "inside.jpg")) << "one file reached twice must give one output";
}

TEST_F(OddInput, OutputsKeepTheStoredSize) {
  const auto& run = odd_run();
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // Sizes as make_odd_inputs.py stores them; EXIF orientation 6 would show 40x64 but is ignored.
  const std::map<std::string, std::pair<int, int>> sizes = {
      {"exif_rotated.jpg", {64, 40}}, {"cmyk.jpg", {48, 40}},       {"gray.jpg", {40, 32}},
      {"png_named.JPEG", {36, 30}},   {"rgba.jpg", {30, 34}},       {"progressive.jpg", {52, 44}},
      {"Mixed.JpEg", {32, 32}},       {"ünïcödé 猫.jpg", {32, 32}},
  };
  for (const auto& [name, size] : sizes) {
    const cv::Mat image = read_image(out() / name);
    EXPECT_EQ(image.cols, size.first) << name;
    EXPECT_EQ(image.rows, size.second) << name;
  }
  const auto manifest = read_manifests(out());
  EXPECT_EQ(manifest.size(), 14u);
  for (const ManifestEntry& e : manifest) {
    EXPECT_NE(e.painting, "unreadable.jpg") << "an unreadable painting must not be paired";
  }
}

TEST_F(OddInput, EverySkipIsRecordedWithItsReason) {
  const auto& run = odd_run();
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto rows = read_csv(skipped_path(out(), ShardId{}));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"kind", "path", "reason"}));
  std::map<std::string, std::pair<std::string, std::string>> skipped;  // path -> (kind, reason)
  for (size_t i = 1; i < rows.size(); ++i) skipped[rows[i][1]] = {rows[i][0], rows[i][2]};
  ASSERT_EQ(skipped.size(), 5u) << run.output;
  for (const char* name : {"empty.jpg", "garbage.png", "truncated.jpg", "tiny.jpg"}) {
    ASSERT_EQ(skipped.count(name), 1u) << name;
    EXPECT_EQ(skipped[name].first, "content") << name;
    EXPECT_FALSE(skipped[name].second.empty()) << name;
  }
  EXPECT_NE(skipped["empty.jpg"].second.find("empty"), std::string::npos) << skipped["empty.jpg"].second;
  EXPECT_NE(skipped["truncated.jpg"].second.find("truncated"), std::string::npos);
  EXPECT_NE(skipped["tiny.jpg"].second.find("too small (5x5"), std::string::npos)
      << skipped["tiny.jpg"].second;
  ASSERT_EQ(skipped.count("unreadable.jpg"), 1u);
  EXPECT_EQ(skipped["unreadable.jpg"].first, "painting");
  // The log names each skipped file.
  for (const char* name : {"empty.jpg", "garbage.png", "truncated.jpg", "tiny.jpg", "unreadable.jpg"}) {
    EXPECT_NE(run.output.find(name), std::string::npos) << name;
  }
}

// Special files named like images, in both trees: each skipped and recorded with its kind, never opened
// (the FIFO would block the run for good: the timeout ends it if it does).
TEST_F(OddInput, SpecialFilesAreSkippedWithTheirKindWithoutBeingOpened) {
  TempDir tmp;
  fs::create_directories(tmp / "content");
  fs::create_directories(tmp / "styles");
  fs::copy_file(testing::samples_dir() / "content" / "chelsea.jpg", tmp / "content" / "chelsea.jpg");
  fs::copy_file(testing::samples_dir() / "styles" / "hubble.jpg", tmp / "styles" / "hubble.jpg");
  ASSERT_TRUE(testing::make_fifo(tmp / "content" / "fifo.jpg"));
  ASSERT_TRUE(testing::make_unix_socket(tmp / "content" / "sock.png"));
  fs::create_symlink("/dev/zero", tmp / "content" / "zero.jpg");
  ASSERT_TRUE(testing::make_fifo(tmp / "styles" / "pipe.jpg"));
  fs::create_symlink("/dev/zero", tmp / "styles" / "zero.png");
  const auto run = testing::run_shell(
      "timeout 120 " + quote(testing::cli()) + " run --content " + quote(tmp / "content") + " --styles " +
      quote(tmp / "styles") + " --out " + quote(tmp / "out") +
      " --content-size 32 --style-size 32 --device cpu --log-level warn --vgg " +
      quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(testing::output_files_below(tmp / "out"), (std::vector<std::string>{"chelsea.jpg"}));
  const auto rows = read_csv(skipped_path(tmp / "out", ShardId{}));
  std::map<std::string, std::pair<std::string, std::string>> skipped;  // path -> (kind, reason)
  for (size_t i = 1; i < rows.size(); ++i) skipped[rows[i][1]] = {rows[i][0], rows[i][2]};
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"fifo.jpg", {"content", "a FIFO"}},
      {"sock.png", {"content", "a socket"}},
      {"zero.jpg", {"content", "a character device"}},
      {"pipe.jpg", {"painting", "a FIFO"}},
      {"zero.png", {"painting", "a character device"}}};
  ASSERT_EQ(skipped.size(), expected.size()) << run.output;
  for (const auto& [name, kind_and_reason] : expected) {
    ASSERT_EQ(skipped.count(name), 1u) << name;
    EXPECT_EQ(skipped[name].first, kind_and_reason.first) << name;
    EXPECT_NE(skipped[name].second.find(kind_and_reason.second), std::string::npos) << skipped[name].second;
  }
  EXPECT_NE(run.output.find("fifo.jpg: not a regular file (a FIFO)"), std::string::npos) << run.output;
}

TEST_F(OddInput, OutInsideContentFailsBeforeAnyWork) {
  const fs::path inside = *dir_ / "content" / "d01" / "results";
  const auto r = testing::run_shell("timeout 60 " + quote(testing::cli()) + " run" + flags() + " --out " +
                                    quote(inside));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--out must not lie inside"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(inside));
}

}  // namespace
}  // namespace sinforge
