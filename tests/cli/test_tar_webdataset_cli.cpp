// --content tar shards written in the webdataset layout, from the outside: each output sample keeps its
// input sample's key (with several styles followed by the layout's "-stylized-<label>"), and otherwise
// equals the webdataset-layout run from the same images extracted into folders: the same pixels and class
// for every (content, painting), the folder run's keys mapped to the tar keys. SIGKILL then a rerun, and
// three shards (disjoint tar series), end with the same samples, each once.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <thread>
#include <tuple>

#include "sinforge/output/webdataset.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::quote;
using testing::TempDir;

// A run's samples by what made them, (content, painting) -> (key, members), from its manifests and tars.
using Made =
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::map<std::string, std::string>>>;
Made samples_by_pair(const fs::path& out) {
  const testing::TarSamples tars = testing::tar_samples_below(out);
  for (const std::string& key : tars.repeated) ADD_FAILURE() << key << " in two tars";
  Made made;
  for (const ManifestEntry& e : read_manifests(out)) {
    const auto members = tars.members.find(e.output);
    EXPECT_NE(members, tars.members.end()) << e.output << " recorded but in no tar";
    if (members == tars.members.end()) continue;
    EXPECT_TRUE(made.emplace(std::pair{e.content, e.painting}, *members).second)
        << e.content << " with " << e.painting << " recorded twice";
  }
  EXPECT_EQ(made.size(), tars.members.size()) << "samples in the tars that no manifest records";
  return made;
}

// Waits until the run has committed a tar (a final name, not the open tar's temporary).
bool wait_for_committed_tar(const fs::path& out, std::chrono::seconds timeout) {
  const auto end = Clock::now() + timeout;
  while (Clock::now() < end) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out, ec)) {
      const std::string name = e.path().filename().string();
      if (name.ends_with(".tar") && !name.starts_with(".")) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class TarWebDatasetCli : public ::testing::Test {
 protected:
  // 15 images in three class folders, written as 2 tars (and extracted) by the reference script; the
  // reference is the webdataset-layout run from the extracted folders.
  static void SetUpTestSuite() {
    if (!webdataset_available()) return;
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
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  void SetUp() override {
    if (!webdataset_available()) GTEST_SKIP() << "built without libarchive";
    setup_.check();
  }
  static fs::path shards() { return data_->path() / "shards"; }
  static fs::path reference() { return data_->path() / "reference"; }
  static std::string tars() { return (shards() / "tars").string(); }
  static std::string run_args(const fs::path& content, const fs::path& out) {
    return "run --content " + quote(content) + " --styles " + quote(testing::samples_dir() / "styles") +
           " --out " + quote(out) +
           " --content-size 40 --style-size 32 --num-styles 2 --batch-size 2 --threads 2 --device cpu "
           "--output-layout webdataset --tar-size 16k --tar-prefix sin" +
           testing::demo_weights().flags();
  }
  static std::string tar_args(const fs::path& out) {
    return run_args(tars(), out) + " --classes " + quote(shards() / "classes.txt");
  }
  static testing::CommandResult sinforge(const std::string& args) {
    return testing::run_shell(quote(testing::cli()) + " " + args + " --log-level warn");
  }

  // The key a tar run gives the folder run's sample of content: the tar's key (the content's file name
  // without its extension, as the reference script extracts), then what the folder run's key adds to the
  // content's path (the "-stylized-<label>" of --num-styles 2).
  static std::string tar_key_of(const std::string& content, const std::string& folder_key) {
    const std::string path_key = sample_key(content);
    EXPECT_TRUE(folder_key.starts_with(path_key)) << folder_key;
    return fs::path(content).stem().string() + folder_key.substr(path_key.size());
  }

  // The reference's samples with the tar keys, the same pixels and classes, each recorded once, the same
  // classes.txt, no temporary left and `sinforge verify` content.
  static void expect_equals_reference(const fs::path& out) {
    const Made expected = samples_by_pair(reference()), actual = samples_by_pair(out);
    ASSERT_EQ(expected.size(), 30u);
    ASSERT_EQ(actual.size(), expected.size());
    for (const auto& [pair, sample] : expected) {
      ASSERT_EQ(actual.count(pair), 1u) << pair.first << " with " << pair.second;
      const auto& [key, members] = actual.at(pair);
      EXPECT_EQ(key, tar_key_of(pair.first, sample.first)) << "not the input's key";
      EXPECT_TRUE(members.at("jpg") == sample.second.at("jpg")) << key << ": other pixels";
      EXPECT_EQ(members.at("cls"), sample.second.at("cls")) << key;
    }
    std::map<std::string, int> rows;
    for (const ManifestEntry& e : read_manifests(out)) ++rows[e.output];
    for (const auto& [key, n] : rows) EXPECT_EQ(n, 1) << key << " recorded " << n << " times";
    EXPECT_EQ(read_classes(out), read_classes(reference()));
    EXPECT_EQ(testing::temporaries_below(out), 0u);
    const auto v = testing::run_shell(quote(testing::cli()) + " verify --out " + quote(out));
    EXPECT_EQ(v.exit_code, 0) << v.output;
  }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* data_ = nullptr;
  TempDir tmp_;
};

TEST_F(TarWebDatasetCli, ARunFromTarsKeepsTheInputKeysAndEqualsTheRunFromTheExtractedFolders) {
  const fs::path out = tmp_ / "out";
  const auto run = sinforge(tar_args(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  expect_equals_reference(out);
  // One style: the key is the input's alone.
  std::string args = tar_args(tmp_ / "one");
  args.replace(args.find(" --num-styles 2"), 15, "");
  ASSERT_EQ(sinforge(args).exit_code, 0);
  const testing::TarSamples one = testing::tar_samples_below(tmp_ / "one");
  ASSERT_EQ(one.members.size(), 15u);
  for (const auto& [key, members] : one.members)
    EXPECT_TRUE(std::regex_match(key, std::regex(R"(class[012]_[a-z]+)"))) << key;
}

TEST_F(TarWebDatasetCli, SigkillThenRerunEqualsAnUninterruptedRun) {
  const fs::path out = tmp_ / "out";
  const auto killed = testing::kill_at_a_random_moment(
      quote(testing::cli()) + " " + tar_args(out), out,
      [&] { return wait_for_committed_tar(out, std::chrono::seconds(120)); }, std::chrono::milliseconds(300));
  ASSERT_TRUE(killed.landed) << killed.why;
  const auto run = sinforge(tar_args(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  expect_equals_reference(out);
}

TEST_F(TarWebDatasetCli, ThreeShardsOverTarsWriteDisjointSeriesWhoseUnionIsOneRun) {
  const fs::path out = tmp_ / "out";
  for (int k = 0; k < 3; ++k) {
    const auto run = sinforge(tar_args(out) + " --shard " + std::to_string(k) + "/3");
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  for (size_t k = 0; k < 3; ++k) {
    size_t rows = 0;
    for (const auto& row : read_csv(manifest_path(out, {k, 3}))) {
      if (row.size() != 6 || row[5] == "tar") continue;
      EXPECT_TRUE(is_series_tar(row[5], "sin", k)) << "shard " << k << " recorded " << row[5];
      ++rows;
    }
    EXPECT_GT(rows, 0u) << "shard " << k << " wrote nothing";
  }
  expect_equals_reference(out);
}

TEST_F(TarWebDatasetCli, TwoSamplesWithOneKeyKeepTheFirstAndRecordTheOther) {
  // The same key in both tars under two classes: the outputs could not keep both keys.
  const fs::path in = tmp_ / "in";
  fs::create_directories(in);
  const std::string jpeg = testing::read_bytes(testing::samples_dir() / "content" / "astronaut.jpg");
  testing::write_tar(in / "a.tar",
                     {{"twin.jpg", jpeg}, {"twin.cls", "0"}, {"solo.jpg", jpeg}, {"solo.cls", "1"}});
  testing::write_tar(in / "b.tar", {{"twin.jpg", jpeg}, {"twin.cls", "1"}});
  const fs::path out = tmp_ / "out";
  const auto run = sinforge(run_args(in, out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::set<std::string> keys;
  for (const ManifestEntry& e : read_manifests(out)) keys.insert(e.output.substr(0, 4));
  EXPECT_EQ(keys, (std::set<std::string>{"solo", "twin"}));
  EXPECT_EQ(read_manifests(out).size(), 4u) << "two samples, two styles each";
  const auto skipped = read_csv(skipped_path(out, {}));
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[1][1], (in / "b.tar").string() + ":twin.jpg");
  EXPECT_EQ(skipped[1][2], "the same key as " + (in / "a.tar").string() + ":twin.jpg");
}

}  // namespace
}  // namespace sinforge
