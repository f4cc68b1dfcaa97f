// Interrupted runs from the outside: SIGKILL at a random moment, SIGTERM, a full disk, changed settings,
// and shards (through the multi-GPU launcher). Each must end, after a rerun of the same command, with exactly
// the files and bytes of one uninterrupted run, every output in the manifests exactly once, and no
// temporary file left.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <thread>

#include "sinforge/records/records.h"
#include "sinforge/records/resume.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::read_bytes;
using Clock = std::chrono::steady_clock;
using testing::quote;
using testing::spawn;
using testing::TempDir;
using testing::wait_for;

class ResumeCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setup_.run([] {
      data_ = new TempDir();
      // 15 content images in three folders: enough that a run is still busy when the signal comes.
      testing::copy_samples_into_classes(data_->path() / "content");
      const auto run = sinforge("--out " + quote(reference()));
      testing::SuiteSetup::require(run.exit_code == 0, run.output);
    });
  }
  void SetUp() override { setup_.check(); }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  static fs::path reference() { return data_->path() / "reference"; }
  static std::string run_line(const std::string& args) {
    return quote(testing::cli()) + " run --content " + quote(data_->path() / "content") + " --styles " +
           quote(testing::samples_dir() / "styles") +
           " --content-size 40 --style-size 32 --num-styles 2 --batch-size 2 --threads 2 --device cpu "
           "--vgg " +
           quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder) + " " +
           args;
  }
  static testing::CommandResult sinforge(const std::string& args) {
    return testing::run_shell(run_line(args) + " --log-level warn");
  }

  // The files and bytes of the uninterrupted run, each output once in the manifests, no temporary left.
  static void expect_equals_reference(const fs::path& out) {
    const auto expected = testing::output_bytes_below(reference()), actual = testing::output_bytes_below(out);
    ASSERT_EQ(actual.size(), expected.size());
    for (const auto& [name, bytes] : expected) {
      ASSERT_EQ(actual.count(name), 1u) << name;
      EXPECT_TRUE(actual.at(name) == bytes) << "bytes differ: " << name;
    }
    std::map<std::string, int> rows;
    for (const ManifestEntry& e : read_manifests(out)) ++rows[e.output];
    EXPECT_EQ(rows.size(), expected.size());
    for (const auto& [name, n] : rows) EXPECT_EQ(n, 1) << name << " recorded " << n << " times";
    EXPECT_EQ(testing::temporaries_below(out), 0u);
  }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* data_ = nullptr;
  TempDir tmp_;
};

TEST_F(ResumeCli, SigkillAtARandomMomentThenRerunEqualsAnUninterruptedRun) {
  const fs::path out = tmp_ / "out";
  const auto killed = testing::kill_at_a_random_moment(
      run_line("--out " + quote(out)), out,
      [&] { return testing::wait_for_outputs(out, 1, std::chrono::seconds(120)); },
      std::chrono::milliseconds(400));
  ASSERT_TRUE(killed.landed) << killed.why;
  // A killed writer may leave a temporary: plant one as well, so the cleanup is always exercised.
  const fs::path planted = fs::path(testing::output_files_below(reference()).front());
  std::ofstream(out / planted.parent_path() / ("." + planted.filename().string() + ".tmp-99999-0")) << "torn";
  const auto rerun = sinforge("--out " + quote(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  expect_equals_reference(out);
}

// What a kill during a records write leaves (the style bank, the settings, the summary: each written through
// a temporary and a rename), planted: the rerun removes every one, and verify names them before it does.
TEST_F(ResumeCli, TemporariesOfRecordsThatAKillLeftAreRemovedByTheRerun) {
  const fs::path out = tmp_ / "out";
  ASSERT_EQ(sinforge("--out " + quote(out)).exit_code, 0);
  const std::vector<std::string> planted = {".sinforge.styles.bank.tmp-99999-0",
                                            ".sinforge.settings.json.tmp-shard-0-of-1-99999-1",
                                            ".sinforge.summary.shard-0-of-1.json.tmp-99999-2"};
  for (const std::string& name : planted) std::ofstream(out / name) << "torn";
  const auto verify = testing::run_shell(quote(testing::cli()) + " verify --out " + quote(out));
  EXPECT_EQ(verify.exit_code, 1) << verify.output;
  for (const std::string& name : planted)
    EXPECT_NE(verify.output.find("stray: " + name + ": a temporary"), std::string::npos) << verify.output;
  const auto rerun = sinforge("--out " + quote(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  for (const std::string& name : planted) EXPECT_FALSE(fs::exists(out / name)) << name;
  expect_equals_reference(out);
  const auto clean = testing::run_shell(quote(testing::cli()) + " verify --out " + quote(out));
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
}

TEST_F(ResumeCli, SigtermStopsWithinSecondsWithStatus143AndTheRerunCompletes) {
  const fs::path out = tmp_ / "out";
  const pid_t pid = spawn(run_line("--out " + quote(out)));
  ASSERT_TRUE(testing::wait_for_outputs(out, 1, std::chrono::seconds(120)));
  const auto signalled = Clock::now();
  kill(pid, SIGTERM);
  const int status = wait_for(pid, std::chrono::seconds(10));
  const double seconds = std::chrono::duration<double>(Clock::now() - signalled).count();
  ASSERT_NE(status, -1) << "still running 10 s after SIGTERM";
  ASSERT_TRUE(WIFEXITED(status)) << "killed instead of a clean stop";
  EXPECT_EQ(WEXITSTATUS(status), 143);
  EXPECT_LT(seconds, 5.0);
  // A clean stop leaves a journal row for every output on the disk.
  EXPECT_EQ(read_manifests(out).size(), testing::output_files_below(out).size());
  EXPECT_LT(testing::output_files_below(out).size(), testing::output_files_below(reference()).size())
      << "the run was not interrupted";
  EXPECT_EQ(testing::temporaries_below(out), 0u);
  const auto rerun = sinforge("--out " + quote(out));
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  expect_equals_reference(out);
}

// A full disk: a small tmpfs where the test may mount one, else the documented write-fault seam.
TEST_F(ResumeCli, AFullDiskStopsCleanlyWithStatus1AndResumesOnceFixed) {
  const fs::path out = tmp_ / "out";
  fs::create_directories(out);
  testing::SmallTmpfs disk(out, "48k");
  const bool mounted = disk.mounted();
  const std::string fault = mounted ? "" : "SINFORGE_FAULT_WRITE_AFTER=6 ";
  const auto full = testing::run_shell(fault + run_line("--out " + quote(out)));
  EXPECT_EQ(full.exit_code, 1) << full.output;
  EXPECT_NE(full.output.find("No space left on device"), std::string::npos) << full.output;
  EXPECT_NE(full.output.find("run the same command again"), std::string::npos) << full.output;
  EXPECT_LT(testing::output_files_below(out).size(), testing::output_files_below(reference()).size());
  if (mounted) {
    ASSERT_TRUE(disk.grow("16m"));
  }
  const auto rerun = sinforge("--out " + quote(out));
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  expect_equals_reference(out);
}

TEST_F(ResumeCli, OtherSettingsAreRefusedUnlessOverwriteAndHarmlessOnesAreNot) {
  const fs::path out = tmp_ / "out";
  ASSERT_EQ(sinforge("--out " + quote(out)).exit_code, 0);
  const auto before = fs::last_write_time(out / "class1" / "chelsea-stylized-hubble.jpg");
  auto run = sinforge("--out " + quote(out) + " --alpha 0.5 --seed 3");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("alpha (recorded 1.0, now 0.5)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("seed"), std::string::npos) << run.output;
  // Threads, batch size and device do not change outputs: a resume that finds nothing to do.
  run = sinforge("--out " + quote(out) + " --batch-size 1 --threads 1");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(fs::last_write_time(out / "class1" / "chelsea-stylized-hubble.jpg"), before) << "rewritten";
  expect_equals_reference(out);
  run = sinforge("--out " + quote(out) + " --alpha 0.5 --overwrite");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(read_bytes(out / "sinforge.settings.json").find("0.5"), std::string::npos);
  EXPECT_NE(read_bytes(out / "class1" / "chelsea-stylized-hubble.jpg"),
            read_bytes(reference() / "class1" / "chelsea-stylized-hubble.jpg"));
  EXPECT_EQ(read_manifests(out).size(), testing::output_files_below(reference()).size())
      << "each output recorded once";
}

TEST_F(ResumeCli, ThreeShardsThroughTheMultiGpuLauncherEqualOneRun) {
  const fs::path out = tmp_ / "out";
  const std::string flags =
      " --content " + quote(data_->path() / "content") + " --styles " +
      quote(testing::samples_dir() / "styles") +
      " --content-size 40 --style-size 32 --num-styles 2 --batch-size 2 --threads 1 --vgg " +
      quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder) +
      " --log-level warn --out " + quote(out);
  const auto run =
      testing::run_shell("SINFORGE_FAKE_GPUS=3 SINFORGE_BIN=" + quote(testing::cli()) + " " +
                         quote(testing::source_dir() / "scripts" / "launch-multi-gpu.sh") + flags);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(fs::exists(manifest_path(out, {static_cast<size_t>(k), 3}))) << "shard " << k;
  }
  expect_equals_reference(out);
}

}  // namespace
}  // namespace sinforge
