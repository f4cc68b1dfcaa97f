// --output-layout webdataset from the outside: the tars hold exactly the images of a folder run, read by
// Python's tarfile (and webdataset), numbered as ImageFolder numbers the folder tree; and they survive
// SIGKILL at random moments, a full disk and three shards, each ending with the same samples, each exactly
// once across all tars, no temporary and no partial tar under a final name.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/records/records.h"
#include "sinforge/records/resume.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::quote;
using testing::spawn;
using testing::TempDir;
using testing::wait_for;

// Every sample of every tar at the top of out: key -> image bytes; a key seen twice fails the test.
std::map<std::string, std::string> samples_in(const fs::path& out) {
  const testing::TarSamples tars = testing::tar_samples_below(out);
  for (const std::string& key : tars.repeated) ADD_FAILURE() << key << " in two tars";
  std::map<std::string, std::string> images;
  for (const auto& [key, members] : tars.members) {
    EXPECT_EQ(members.size(), 3u) << key << ": members";
    if (members.count("jpg") != 0) images.emplace(key, members.at("jpg"));
  }
  return images;
}

// Waits until the run has started a tar (its temporary, or a committed one).
bool wait_for_first_tar(const fs::path& out, std::chrono::seconds timeout) {
  const auto end = Clock::now() + timeout;
  while (Clock::now() < end) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out, ec)) {
      if (e.path().filename().string().find(".tar") != std::string::npos) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class WebDatasetCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!webdataset_available()) return;
    setup_.run([] {
      data_ = new TempDir();
      // 15 content images in three class folders, two styles each: 30 samples, about ten tars of 16 kB.
      testing::copy_samples_into_classes(data_->path() / "content");
      auto run = sinforge("--out " + quote(folder_reference()), "");
      testing::SuiteSetup::require(run.exit_code == 0, run.output);
      run = sinforge("--out " + quote(reference()));
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
  static fs::path reference() { return data_->path() / "reference"; }
  static fs::path folder_reference() { return data_->path() / "folder"; }
  static std::string run_line(const std::string& args, const std::string& layout = kTars) {
    return quote(testing::cli()) + " run --content " + quote(data_->path() / "content") + " --styles " +
           quote(testing::samples_dir() / "styles") +
           " --content-size 40 --style-size 32 --num-styles 2 --batch-size 2 --threads 2 --device cpu "
           "--vgg " +
           quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder) + " " +
           layout + " " + args;
  }
  static constexpr const char* kTars = "--output-layout webdataset --tar-size 16k --tar-prefix sin";
  static testing::CommandResult sinforge(const std::string& args, const std::string& layout = kTars) {
    return testing::run_shell(run_line(args, layout) + " --log-level warn");
  }
  static testing::CommandResult verify(const fs::path& out) {
    return testing::run_shell(quote(testing::cli()) + " verify --out " + quote(out));
  }

  // The samples and bytes of the uninterrupted run, each once in the tars and in the manifests, no
  // temporary left, and `sinforge verify` content.
  static void expect_equals_reference(const fs::path& out) {
    const auto expected = samples_in(reference()), actual = samples_in(out);
    ASSERT_EQ(actual.size(), expected.size());
    for (const auto& [key, bytes] : expected) {
      ASSERT_EQ(actual.count(key), 1u) << key;
      EXPECT_TRUE(actual.at(key) == bytes) << "bytes differ: " << key;
    }
    std::map<std::string, int> rows;
    for (const ManifestEntry& e : read_manifests(out)) ++rows[e.output];
    EXPECT_EQ(rows.size(), expected.size());
    for (const auto& [key, n] : rows) EXPECT_EQ(n, 1) << key << " recorded " << n << " times";
    EXPECT_EQ(testing::temporaries_below(out), 0u);
    const auto v = verify(out);
    EXPECT_EQ(v.exit_code, 0) << v.output;
  }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* data_ = nullptr;
  TempDir tmp_;
};

TEST_F(WebDatasetCli, PythonReadsEverySampleOfTheFolderRunWithImageFolderClasses) {
  const auto r =
      testing::run_reference("read_webdataset.py", quote(reference()) + " " + quote(folder_reference()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json read = nlohmann::json::parse(r.output);
  EXPECT_TRUE(read["repeated"].empty()) << read["repeated"];
  EXPECT_EQ(read["classes"], (std::vector<std::string>{"class0", "class1", "class2"}));
  const auto& folder = read["folder"];
  const auto& samples = read["samples"];
  ASSERT_EQ(folder.size(), 30u);
  ASSERT_EQ(samples.size(), folder.size());
  for (const auto& [path, file] : folder.items()) {
    const std::string key = sample_key(path);
    ASSERT_TRUE(samples.contains(key)) << path;
    const auto& s = samples[key];
    EXPECT_EQ(s["members"], 3) << key;
    EXPECT_EQ(s["ext"], "jpg") << key;
    EXPECT_EQ(s["sha256"], file["sha256"]) << key << ": not the folder run's bytes";
    EXPECT_EQ(s["cls"], file["cls"]) << key << ": not ImageFolder's class";
    EXPECT_EQ(fs::path(s["json"]["content"].get<std::string>()).begin()->string(),
              fs::path(path).begin()->string());
    for (const char* field : {"painting", "seed", "alpha", "k", "width", "height"}) {
      EXPECT_TRUE(s["json"].contains(field)) << key << " lacks " << field;
    }
  }
  ASSERT_FALSE(read["dali_index"].empty());
  for (const auto& [tar, ok] : read["dali_index"].items()) EXPECT_EQ(ok, true) << tar << ": " << ok;
  if (!read["webdataset"].is_null()) {
    EXPECT_EQ(read["webdataset"], 30) << "webdataset's own reader";
  }
  // Several tars of one series, named as documented.
  size_t tars = 0;
  for (const auto& e : fs::directory_iterator(reference())) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".tar")) continue;
    ++tars;
    EXPECT_TRUE(std::regex_match(name, std::regex(R"(sin-0-\d{6}\.tar)"))) << name;
  }
  EXPECT_GT(tars, 2u);
  const auto v = verify(reference());
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_NE(v.output.find("30 entries, 30 ok, 0 missing, 0 broken"), std::string::npos) << v.output;
}

TEST_F(WebDatasetCli, SigkillAtRandomMomentsThenRerunGivesTheSameSamples) {
  const fs::path out = tmp_ / "out";
  // Two kills, the second of a run resuming the first's folder; only the first must land on a running
  // process (the resumed run has less to do, and may finish first).
  const auto ready = [&] { return wait_for_first_tar(out, std::chrono::seconds(120)); };
  const auto first = testing::kill_at_a_random_moment(run_line("--out " + quote(out)), out, ready,
                                                      std::chrono::milliseconds(600));
  ASSERT_TRUE(first.landed) << first.why;
  const pid_t pid = spawn(run_line("--out " + quote(out)));
  ASSERT_TRUE(ready());
  std::mt19937 rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 600)(rng)));
  kill(pid, SIGKILL);
  ASSERT_NE(wait_for(pid, std::chrono::seconds(10)), -1);
  // A killed writer leaves the open tar's temporary: plant one as well, so the cleanup is always exercised.
  std::ofstream(out / ".sin-0-000099.tar.tmp-99999-0") << "torn";
  std::ofstream(out / "sin-0-000099.idx") << "v1.2 0\n";  // killed between the index and the tar's rename
  const auto rerun = sinforge("--out " + quote(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_FALSE(fs::exists(out / "sin-0-000099.idx")) << "an index without its tar";
  expect_equals_reference(out);
}

TEST_F(WebDatasetCli, SigtermCommitsTheOpenTarStopsWith143AndTheRerunCompletes) {
  const fs::path out = tmp_ / "out";
  const pid_t pid = spawn(run_line("--out " + quote(out)));
  ASSERT_TRUE(wait_for_first_tar(out, std::chrono::seconds(120)));
  kill(pid, SIGTERM);
  const int status = wait_for(pid, std::chrono::seconds(10));
  ASSERT_NE(status, -1) << "still running 10 s after SIGTERM";
  ASSERT_TRUE(WIFEXITED(status)) << "killed instead of a clean stop";
  EXPECT_EQ(WEXITSTATUS(status), 143);
  // A clean stop commits the open tar and records it: every sample on the disk is recorded, no temporary.
  const auto kept = samples_in(out);
  EXPECT_LT(kept.size(), samples_in(reference()).size()) << "the run was not interrupted";
  EXPECT_EQ(read_manifests(out).size(), kept.size());
  EXPECT_EQ(testing::temporaries_below(out), 0u);
  const auto v = verify(out);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  const auto rerun = sinforge("--out " + quote(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  expect_equals_reference(out);
}

// Killed after a tar was renamed but before its rows reached the disk: the rerun records its samples from
// the tar itself instead of writing them again.
TEST_F(WebDatasetCli, ACommittedTarWithoutItsRowsIsRecordedNotRecomputed) {
  const fs::path out = tmp_ / "out";
  fs::copy(reference(), out, fs::copy_options::recursive);
  const fs::path manifest = manifest_path(out, {});
  const auto rows = read_csv(manifest);
  std::ofstream cut(manifest, std::ios::trunc);
  for (size_t i = 0; i < rows.size() / 2; ++i) cut << csv_row(rows[i]);
  cut << "class1/torn";  // a row torn mid-write
  cut.close();
  const auto before = fs::last_write_time(out / "sin-0-000000.tar");
  const auto rerun = sinforge("--out " + quote(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_EQ(fs::last_write_time(out / "sin-0-000000.tar"), before);
  EXPECT_FALSE(fs::exists(out / tar_file_name("sin", 0, next_tar_number(reference(), "sin", 0))))
      << "samples were computed again";
  expect_equals_reference(out);
}

TEST_F(WebDatasetCli, ThreeShardsWriteDisjointTarSeriesWhoseUnionIsOneRun) {
  const fs::path out = tmp_ / "out";
  for (int k = 0; k < 3; ++k) {
    const auto run = sinforge("--out " + quote(out) + " --shard " + std::to_string(k) + "/3");
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".tar")) continue;
    EXPECT_TRUE(std::regex_match(name, std::regex(R"(sin-[012]-\d{6}\.tar)"))) << name;
  }
  for (size_t k = 0; k < 3; ++k) {
    for (const auto& row : read_csv(manifest_path(out, {k, 3}))) {
      if (row.size() == 6 && row[5] != "tar") {
        EXPECT_TRUE(is_series_tar(row[5], "sin", k)) << "shard " << k << " recorded " << row[5];
      }
    }
  }
  expect_equals_reference(out);
}

// A full disk: a small tmpfs where the test may mount one, else the documented write-fault seam.
TEST_F(WebDatasetCli, AFullDiskStopsCleanlyWithNoPartialTarUnderAFinalName) {
  const fs::path out = tmp_ / "out";
  fs::create_directories(out);
  testing::SmallTmpfs disk(out, "96k");
  const bool mounted = disk.mounted();
  const std::string fault = mounted ? "" : "SINFORGE_FAULT_WRITE_AFTER=11 ";
  const auto full = testing::run_shell(fault + run_line("--out " + quote(out)));
  EXPECT_EQ(full.exit_code, 1) << full.output;
  EXPECT_NE(full.output.find("No space left on device"), std::string::npos) << full.output;
  EXPECT_NE(full.output.find("run the same command again"), std::string::npos) << full.output;
  // Every tar under a final name is whole (samples_in reads each to its end), no temporary is left, and
  // every recorded sample is in a tar (the disk may have filled between a tar's rename and its rows).
  const auto kept = samples_in(out);
  EXPECT_LT(kept.size(), samples_in(reference()).size());
  for (const ManifestEntry& e : read_manifests(out)) EXPECT_EQ(kept.count(e.output), 1u) << e.output;
  EXPECT_EQ(testing::temporaries_below(out), 0u);
  if (mounted) {
    ASSERT_TRUE(disk.grow("16m"));
  }
  const auto rerun = sinforge("--out " + quote(out));
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  expect_equals_reference(out);
}

TEST_F(WebDatasetCli, VerifyReportsATruncatedTarAndAnUnrecordedSample) {
  const fs::path out = tmp_ / "out";
  fs::copy(reference(), out, fs::copy_options::recursive);
  fs::resize_file(out / "sin-0-000001.tar", fs::file_size(out / "sin-0-000001.tar") / 2);
  auto v = verify(out);
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("missing: sin-0-000001.tar:"), std::string::npos) << v.output;
  fs::copy(reference(), out, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::copy_file(out / "sin-0-000000.tar", out / "sin-0-000500.tar");  // the same samples a second time
  v = verify(out);
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("also in sin-0-000000.tar"), std::string::npos) << v.output;
}

TEST_F(WebDatasetCli, TheLayoutAndTarSizeArePartOfTheRecordedSettings) {
  const fs::path out = tmp_ / "out";
  fs::copy(reference(), out, fs::copy_options::recursive);
  auto run = sinforge("--out " + quote(out) + " --tar-size 1M");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("tar_size (recorded 16000, now 1000000)"), std::string::npos) << run.output;
  run = sinforge("--out " + quote(out), "--output-layout folder");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("output_layout"), std::string::npos) << run.output;
  run = sinforge("--out " + quote(tmp_ / "bad") + " --tar-size 12X");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--tar-size"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(tmp_ / "bad"));
}

}  // namespace
}  // namespace sinforge
