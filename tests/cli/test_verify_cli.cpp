// `sinforge verify`: a real run's folder is clean; a deleted, truncated or resized output is found; shard
// manifests merge; duplicates and missing shard summaries are reported; usage errors exit 2.
#include "sinforge/tools/verify.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

class Verify : public ::testing::Test {
 protected:
  // One real run, made on first use (the library-level tests need none), copied by each test that damages it.
  static fs::path run_folder() {
    if (run_ == nullptr) {
      run_ = new TempDir();
      const auto r = testing::run_shell(
          quote(testing::cli()) + " run --content " + quote(testing::samples_dir() / "content") +
          " --styles " + quote(testing::samples_dir() / "styles") + " --out " + quote(*run_ / "out") +
          " --content-size 32 --style-size 32 --device cpu --log-level warn --vgg " +
          quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder));
      if (r.exit_code != 0) throw std::runtime_error(r.output);
    }
    return *run_ / "out";
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  fs::path copy_of_run() {
    fs::copy(run_folder(), tmp_ / "out", fs::copy_options::recursive);
    return tmp_ / "out";
  }
  static testing::CommandResult verify(const fs::path& out) {
    return testing::run_shell(quote(testing::cli()) + " verify --threads 2 --out " + quote(out));
  }
  static inline TempDir* run_ = nullptr;
  TempDir tmp_;
};

TEST_F(Verify, ARunsFolderIsClean) {
  const auto r = verify(run_folder());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("5 entries, 5 ok, 0 missing, 0 broken, 0 duplicates, 0 shard summaries missing"),
            std::string::npos)
      << r.output;
}

TEST_F(Verify, DeletedOutputIsMissing) {
  const fs::path out = copy_of_run();
  fs::remove(out / "chelsea.jpg");
  const auto r = verify(out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("missing: chelsea.jpg: no such file"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("5 entries, 4 ok, 1 missing, 0 broken"), std::string::npos) << r.output;
}

TEST_F(Verify, TruncatedAndGarbageOutputsAreBroken) {
  const fs::path out = copy_of_run();
  fs::resize_file(out / "coffee.jpg", fs::file_size(out / "coffee.jpg") / 3);
  std::ofstream(out / "rocket.jpg", std::ios::binary | std::ios::trunc) << "not an image";
  const auto r = verify(out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("broken: coffee.jpg: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("broken: rocket.jpg: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 ok, 0 missing, 2 broken"), std::string::npos) << r.output;
}

TEST_F(Verify, ARecordedSizeThatDiffersIsBroken) {
  const fs::path out = copy_of_run();
  const fs::path manifest = manifest_path(out, ShardId{});
  auto rows = read_csv(manifest);
  std::string written;
  for (auto& row : rows) {
    if (row[2] == "astronaut.jpg") row[3] = "33";  // really 32 wide
    written += csv_row(row);
  }
  std::ofstream(manifest, std::ios::binary | std::ios::trunc) << written;
  const auto r = verify(out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("broken: astronaut.jpg: size 32x32, recorded 33x32"), std::string::npos)
      << r.output;
}

TEST_F(Verify, ShardManifestsMergeAndDuplicatesAreReported) {
  const fs::path out = tmp_ / "sharded";
  const cv::Mat image(10, 12, CV_8UC3, cv::Scalar(1, 2, 3));
  const std::vector<uint8_t> png = encode_image(image, ImageFormat::kPng);
  for (const char* name : {"a/one.png", "b/two.png", "b/three.png"}) write_file_atomic(out / name, png);
  {
    RunRecorder shard0(out, ShardId{0, 2});
    shard0.record_output({"a/one.jpg", "p.jpg", "a/one.png", 12, 10, ""});
    shard0.record_output({"b/two.jpg", "p.jpg", "b/two.png", 12, 10, ""});
    RunRecorder shard1(out, ShardId{1, 2});
    shard1.record_output({"b/three.jpg", "p.jpg", "b/three.png", 12, 10, ""});
    shard1.record_output({"b/two.jpg", "p.jpg", "b/two.png", 12, 10, ""});  // also claimed by shard 0
  }
  ThreadPool pool(2);
  const VerifyReport report = verify_output(out, pool);
  EXPECT_EQ(report.entries, 4u);
  EXPECT_EQ(report.ok, 3u);
  EXPECT_EQ(report.duplicates, 1u);
  EXPECT_EQ(report.missing_summaries, 0u) << "no summary at all: a run that wrote none is not judged";
  EXPECT_TRUE(report.clean());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].kind, "duplicate");
  EXPECT_EQ(report.problems[0].path, "b/two.png");
}

TEST_F(Verify, AMissingShardSummaryIsReported) {
  const fs::path out = tmp_ / "sharded";
  const cv::Mat image(10, 12, CV_8UC3, cv::Scalar(1, 2, 3));
  write_file_atomic(out / "x.png", encode_image(image, ImageFormat::kPng));
  {
    RunRecorder shard0(out, ShardId{0, 3});
    shard0.record_output({"x.jpg", "p.jpg", "x.png", 12, 10, ""});
    shard0.write_summary({{"counts", {}}});
    RunRecorder shard2(out, ShardId{2, 3});
    shard2.write_summary({{"counts", {}}});
  }
  const auto r = verify(out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("summary: sinforge.summary.shard-1-of-3.json: missing"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("shard-0-of-3.json: missing"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 entries, 1 ok, 0 missing, 0 broken, 0 duplicates, 1 shard summaries missing"),
            std::string::npos)
      << r.output;
}

// Files that are neither outputs nor records: a temporary left by a kill, and a file no record names.
TEST_F(Verify, StrayFilesAreReported) {
  const fs::path out = copy_of_run();
  std::ofstream(out / ".astronaut.jpg.tmp-4242-0") << "torn";
  std::ofstream(out / "notes.txt") << "mine";
  const auto r = verify(out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("stray: .astronaut.jpg.tmp-4242-0: a temporary of astronaut.jpg"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("stray: notes.txt: no record names this file"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(", 2 stray files"), std::string::npos) << r.output;
}

TEST_F(Verify, UsageErrors) {
  auto r = verify(tmp_ / "nowhere");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no such folder"), std::string::npos) << r.output;
  fs::create_directories(tmp_ / "empty");
  r = verify(tmp_ / "empty");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no manifest"), std::string::npos) << r.output;
  r = testing::run_shell(quote(testing::cli()) + " verify");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--out is required"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sinforge
