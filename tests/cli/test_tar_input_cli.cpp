// --content as WebDataset tar shards, from the outside, on tars Python's tarfile wrote: a run from tars
// equals the run from the same images extracted into folders (files, bytes and pairs), also when that run's
// manifest is fed to the tar run as --pairs; SIGKILL then a rerun,
// and three shards, end with the uninterrupted run's outputs, each recorded once; a corrupt member, a bad
// .cls and a truncated tar are skipped and recorded as <tar>:<member> while the good samples are stylized;
// bad specs fail before any work.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

using testing::manifest_pairs;

std::map<std::string, int> output_rows(const fs::path& out) {
  std::map<std::string, int> rows;
  for (const ManifestEntry& e : read_manifests(out)) ++rows[e.output];
  return rows;
}

// The skipped record's rows (kind, path) -> reason, of every shard.
std::map<std::pair<std::string, std::string>, std::string> skipped_rows(const fs::path& out) {
  std::map<std::pair<std::string, std::string>, std::string> rows;
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("sinforge.skipped.")) continue;
    const auto csv = read_csv(e.path());
    for (size_t i = 1; i < csv.size(); ++i) rows[{csv[i][0], csv[i][1]}] = csv[i][2];
  }
  return rows;
}

class TarInputCli : public ::testing::Test {
 protected:
  // 15 images in three class folders, written as 2 tars (and extracted) by the reference script.
  static void SetUpTestSuite() {
    setup_.run([] {
      data_ = new TempDir();
      testing::copy_samples_into_classes(data_->path() / "tree");
      const auto made = testing::run_reference("write_tar_shards.py",
                                               quote(data_->path() / "tree") + " " + quote(shards()) + " 2");
      testing::SuiteSetup::require(made.exit_code == 0, made.output);
      const auto run = sinforge(run_args(shards() / "extracted", reference()));
      testing::SuiteSetup::require(run.exit_code == 0, run.output);
    });
  }
  void SetUp() override { setup_.check(); }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  static fs::path shards() { return data_->path() / "shards"; }
  static fs::path reference() { return data_->path() / "reference"; }  // the folder run
  static std::string run_args(const fs::path& content, const fs::path& out, int threads = 2) {
    return "run --content " + quote(content) + " --styles " + quote(testing::samples_dir() / "styles") +
           " --out " + quote(out) +
           " --content-size 40 --style-size 32 --num-styles 2 --batch-size 2 --threads " +
           std::to_string(threads) + " --device cpu" + testing::demo_weights().flags();
  }
  static std::string tar_args(const std::string& content, const fs::path& out, int threads = 2) {
    return run_args(content, out, threads) + " --classes " + quote(shards() / "classes.txt");
  }
  static testing::CommandResult sinforge(const std::string& args) {
    return testing::run_shell(quote(testing::cli()) + " " + args + " --log-level warn");
  }
  // The folder run's files and bytes and pairs, each output recorded once, no temporary left.
  static void expect_equals_reference(const fs::path& out) {
    const auto expected = testing::output_bytes_below(reference());
    ASSERT_EQ(expected.size(), 30u);
    EXPECT_TRUE(testing::output_bytes_below(out) == expected) << "files or bytes differ";
    EXPECT_EQ(manifest_pairs(out), manifest_pairs(reference()));
    for (const auto& [name, n] : output_rows(out)) EXPECT_EQ(n, 1) << name << " recorded " << n << " times";
    EXPECT_EQ(testing::temporaries_below(out), 0u);
  }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* data_ = nullptr;
  TempDir tmp_;
};

TEST_F(TarInputCli, ARunFromTarsEqualsTheRunFromTheExtractedFolders) {
  // The three ways of naming the tars: their folder, a brace pattern, a list file.
  testing::write_bytes(tmp_ / "list.txt", (shards() / "tars" / "part-0.tar").string() + "\n" +
                                              (shards() / "tars" / "part-1.tar").string() + "\n");
  const std::vector<std::string> specs = {(shards() / "tars").string(),
                                          (shards() / "tars" / "part-{0..1}.tar").string(),
                                          (tmp_ / "list.txt").string()};
  for (size_t i = 0; i < specs.size(); ++i) {
    const fs::path out = tmp_ / ("out" + std::to_string(i));
    // One decode thread streams one tar at a time (tars in groups of the pool's size): the same outputs.
    const auto run = sinforge(tar_args(specs[i], out, i == 2 ? 1 : 2));
    ASSERT_EQ(run.exit_code, 0) << specs[i] << "\n" << run.output;
    expect_equals_reference(out);
  }
  // Without --classes the .cls numbers are the class folders.
  const fs::path numbered = tmp_ / "numbered";
  ASSERT_EQ(sinforge(run_args((shards() / "tars").string(), numbered)).exit_code, 0);
  const auto files = testing::output_files_below(numbered);
  ASSERT_EQ(files.size(), 30u);
  for (const std::string& f : files)
    EXPECT_TRUE(f.starts_with("0/") || f.starts_with("1/") || f.starts_with("2/")) << f;
}

TEST_F(TarInputCli, SigkillThenRerunEqualsAnUninterruptedRun) {
  const fs::path out = tmp_ / "out";
  const std::string line = quote(testing::cli()) + " " + tar_args((shards() / "tars").string(), out);
  const auto killed = testing::kill_at_a_random_moment(
      line, out, [&] { return testing::wait_for_outputs(out, 1, std::chrono::seconds(120)); },
      std::chrono::milliseconds(300));
  ASSERT_TRUE(killed.landed) << killed.why;
  const auto run = sinforge(tar_args((shards() / "tars").string(), out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  expect_equals_reference(out);
}

TEST_F(TarInputCli, ThreeShardsOverTarsEqualOneRun) {
  const fs::path out = tmp_ / "out";
  for (int k = 0; k < 3; ++k) {
    const auto run =
        sinforge(tar_args((shards() / "tars").string(), out) + " --shard " + std::to_string(k) + "/3");
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  expect_equals_reference(out);
}

TEST_F(TarInputCli, TheFolderRunsManifestAsPairsGivesTheSameOutputsFromTars) {
  // --pairs names the samples by the paths they would extract to, as the folder run's manifest does.
  const fs::path out = tmp_ / "out";
  std::string args = tar_args((shards() / "tars").string(), out);
  args.replace(args.find(" --num-styles 2"), 15, "");  // the map fixes the paintings (and another seed)
  const auto run = sinforge(args + " --seed 5 --pairs " + quote(manifest_path(reference(), ShardId{})));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  expect_equals_reference(out);
}

TEST_F(TarInputCli, BadMembersAndATruncatedTarAreSkippedAndRecorded) {
  const fs::path bad = tmp_ / "bad";
  const auto made = testing::run_reference("write_tar_shards.py",
                                           quote(data_->path() / "tree") + " " + quote(bad) +
                                               " 2 --corrupt broken --bad-cls nocls --truncate-last");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const fs::path out = tmp_ / "out";
  const auto run =
      sinforge(run_args((bad / "tars").string(), out) + " --classes " + quote(bad / "classes.txt"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string tar0 = (bad / "tars" / "part-0.tar").string(),
                    tar1 = (bad / "tars" / "part-1.tar").string();
  const auto skipped = skipped_rows(out);
  EXPECT_EQ(skipped.count({"content", tar0 + ":broken.jpg"}), 1u) << "the corrupt image member";
  EXPECT_EQ(skipped.count({"content", tar0 + ":nocls.jpg"}), 1u) << "the bad .cls";
  // part-1 holds the odd-numbered images of the 15; its last, class2_coffee, is cut inside its data.
  EXPECT_EQ(skipped.count({"content", tar1 + ":class2_coffee.jpg"}), 1u) << run.output;
  for (const auto& [row, reason] : skipped) {
    const bool expected_row = row.second == tar0 + ":broken.jpg" || row.second == tar0 + ":nocls.jpg" ||
                              row.second == tar1 + ":class2_coffee.jpg" || row.second == tar1;
    EXPECT_TRUE(expected_row) << row.second << ": " << reason;
  }
  // Every good sample is stylized as the folder run stylized it.
  const auto expected = testing::output_bytes_below(reference());
  const auto actual = testing::output_bytes_below(out);
  EXPECT_EQ(actual.size(), expected.size() - 2) << "all but the truncated sample's two outputs";
  for (const auto& [name, bytes] : actual) {
    ASSERT_EQ(expected.count(name), 1u) << name;
    EXPECT_TRUE(expected.at(name) == bytes) << name;
  }
}

TEST_F(TarInputCli, BadSpecsFailBeforeAnyWork) {
  const fs::path out = tmp_ / "out";
  auto run = sinforge(tar_args((shards() / "tars" / "part-{0..3}.tar").string(), out));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("2 of 4 tars do not exist"), std::string::npos) << run.output;
  // An image given as --content is no list of tars: said before anything is read as one.
  const fs::path photo = tmp_ / "photo.jpg";
  fs::copy_file(testing::samples_dir() / "content" / "astronaut.jpg", photo);
  run = sinforge(run_args(photo, out));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--content " + photo.string() + " must be a folder, a tar, a brace pattern"),
            std::string::npos)
      << run.output;
  run = sinforge(run_args(shards() / "extracted", out) + " --classes " + quote(shards() / "classes.txt"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--classes names the classes of tar shards"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace sinforge
