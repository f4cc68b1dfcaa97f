// `sinforge derive` end to end: its outputs against the Python reference written from the published rules
// (tests/reference/derive_reference.py), names, determinism, resume after SIGKILL, a corrupt input, wrong
// flags, shards, and the webdataset layout (the folder layout's bytes under its keys; resume after SIGKILL).
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "sinforge/core/atomic_file.h"
#include "sinforge/derive/spectrum_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

class DeriveCli : public ::testing::Test {
 protected:
  // The samples as PNG (lossless, so Pillow and sinforge decode the same pixels) in two class folders,
  // three copies each: 15 contents.
  static void SetUpTestSuite() {
    setup_.run([] {
      data_ = new TempDir();
      int n = 0;
      for (const auto& e : fs::directory_iterator(testing::samples_dir() / "content")) {
        const cv::Mat rgb = read_image(e.path());
        for (int copy = 0; copy < 3; ++copy) {
          const fs::path dir = content() / (n % 2 == 0 ? "class_a" : "class_b");
          fs::create_directories(dir);
          testing::write_bytes(dir / (e.path().stem().string() + std::to_string(copy) + ".png"),
                               encode_image(rgb, ImageFormat::kPng));
          ++n;
        }
      }
    });
  }
  void SetUp() override { setup_.check(); }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  static fs::path content() { return data_->path() / "content"; }

  static std::string line(const fs::path& from, const fs::path& out, const std::string& args) {
    return quote(testing::cli()) + " derive --content " + quote(from) + " --out " + quote(out) +
           " --threads 2 --log-level warn " + args;
  }
  static testing::CommandResult derive(const fs::path& out, const std::string& args) {
    return testing::run_shell(line(content(), out, args));
  }
  static testing::CommandResult reference(const fs::path& out, int seed, bool derange, const fs::path& from) {
    return testing::run_reference("derive_reference.py", quote(from) + " " + quote(out) + " " +
                                                             std::to_string(seed) + (derange ? " 1" : " 0"));
  }
  static testing::CommandResult verify(const fs::path& out) {
    return testing::run_shell(quote(testing::cli()) + " verify --out " + quote(out));
  }
  // A folder of the first n contents only, for the references (Python draws its noise pixel by pixel).
  fs::path few_contents(size_t n) {
    const fs::path dir = tmp_ / "few";
    for (const auto& e : fs::recursive_directory_iterator(content())) {
      if (!e.is_regular_file() || n == 0) continue;
      fs::create_directories(dir / fs::relative(e.path().parent_path(), content()));
      fs::copy_file(e.path(), dir / fs::relative(e.path(), content()));
      --n;
    }
    return dir;
  }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* data_ = nullptr;
  TempDir tmp_;
};

TEST_F(DeriveCli, ScrambleEqualsTheReferenceExactlyAndRecordsEveryOrder) {
  const fs::path out = tmp_ / "out";
  const auto r = derive(out, "--variant scramble --grid 8,7,4,2 --copies 2 --original --format png --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto ref = reference(out, 3, false, content());
  EXPECT_EQ(ref.exit_code, 0) << ref.output;
  EXPECT_NE(ref.output.find("rows 135 exact 135"), std::string::npos) << ref.output;  // 15 x (4 x 2 + 1)
  const auto v = verify(out);
  EXPECT_EQ(v.exit_code, 0) << v.output;
}

TEST_F(DeriveCli, DerangedScrambleEqualsTheReference) {
  const fs::path out = tmp_ / "out";
  ASSERT_EQ(derive(out, "--variant scramble --grid 2 --copies 3 --derange --format png").exit_code, 0);
  const auto ref = reference(out, 0, true, content());
  EXPECT_EQ(ref.exit_code, 0) << ref.output;
}

TEST_F(DeriveCli, ScrambleNamesAreStemBlockSizeCopy) {
  const fs::path out = tmp_ / "out";
  const fs::path one = few_contents(1);
  const auto r = testing::run_shell(line(one, out, "--variant scramble --original"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<std::string> files = testing::output_files_below(out);
  ASSERT_EQ(files.size(), 13u);  // the thesis: 4 sizes x 3 copies + the original
  const std::string stem = fs::path(files.front()).parent_path().generic_string() + "/" +
                           fs::path(testing::output_files_below(one).front()).stem().string();
  std::set<std::string> expected = {stem + "_original.jpg"};
  for (const int px : {28, 32, 56, 112})
    for (int copy = 0; copy < 3; ++copy)
      expected.insert(stem + "_" + std::to_string(px) + "_" + std::to_string(copy) + ".jpg");
  EXPECT_EQ(std::set<std::string>(files.begin(), files.end()), expected);
}

TEST_F(DeriveCli, PatchEqualsTheReferenceExactlyWithTheThesisNames) {
  const fs::path out = tmp_ / "out";
  const fs::path few = few_contents(2);
  const auto r = testing::run_shell(line(few, out, "--variant patch --format png --original"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto ref = reference(out, 0, false, few);
  EXPECT_EQ(ref.exit_code, 0) << ref.output;
  EXPECT_NE(ref.output.find("rows 404 exact 404"), std::string::npos)
      << ref.output;  // 2 x 202, as the thesis
  const std::vector<std::string> files = testing::output_files_below(out);
  const std::string first =
      fs::path(testing::output_files_below(few).front()).replace_extension().generic_string();
  EXPECT_EQ(std::count(files.begin(), files.end(), first + "_10_121.png"), 1);  // all 121 squares
  EXPECT_EQ(std::count(files.begin(), files.end(), first + "_70_4.png"), 1);
  EXPECT_EQ(std::count(files.begin(), files.end(), first + "_70_5.png"), 0);
}

TEST_F(DeriveCli, ManipulationsAreWithinOneLevelOfTheReference) {
  const fs::path few = few_contents(2);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"greyscale", ""},
      {"contrast", "--levels 1,0.1,0.01"},
      {"rotation", ""},
      {"uniform-noise", "--levels 0,0.1,0.9"},
      {"salt-and-pepper", "--levels 0,0.2,0.95"},
      {"low-pass", "--levels 0,1,3,10"},
      {"high-pass", "--levels inf,3,0.4"},
      {"phase-noise", "--levels 0,90,180"},
      {"power-equalise", ""},
  };
  for (const auto& [variant, levels] : cases) {
    const fs::path out = tmp_ / variant;
    const auto r =
        testing::run_shell(line(few, out, "--variant " + variant + " " + levels + " --format png --seed 5"));
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.output;
    const auto ref = reference(out, 5, false, few);
    EXPECT_EQ(ref.exit_code, 0) << variant << ": " << ref.output;
  }
}

TEST_F(DeriveCli, ManipulationsWriteOneImageFolderPerLevelAsGiven) {
  const fs::path out = tmp_ / "out";
  const fs::path few = few_contents(1);
  ASSERT_EQ(testing::run_shell(line(few, out, "--variant contrast --levels 0.1,0.05 --original")).exit_code,
            0);
  const std::string rel = testing::output_files_below(few).front();
  const std::string name = fs::path(rel).replace_extension(".jpg").generic_string();
  const std::vector<std::string> files = testing::output_files_below(out);
  EXPECT_EQ(std::set<std::string>(files.begin(), files.end()),
            (std::set<std::string>{"contrast-0.1/" + name, "contrast-0.05/" + name, "original/" + name}));
  // The published levels by default: contrast's eight.
  const fs::path all = tmp_ / "all";
  ASSERT_EQ(testing::run_shell(line(few, all, "--variant contrast")).exit_code, 0);
  EXPECT_EQ(testing::output_files_below(all).size(), 8u);
}

TEST_F(DeriveCli, TheSeedDeterminesEveryDraw) {
  const fs::path few = few_contents(3);
  const std::string args = "--variant uniform-noise --levels 0.2 --format png";
  ASSERT_EQ(testing::run_shell(line(few, tmp_ / "a", args + " --seed 1")).exit_code, 0);
  ASSERT_EQ(testing::run_shell(line(few, tmp_ / "b", args + " --seed 1 --threads 1")).exit_code, 0);
  ASSERT_EQ(testing::run_shell(line(few, tmp_ / "c", args + " --seed 2")).exit_code, 0);
  const auto a = testing::output_bytes_below(tmp_ / "a"), b = testing::output_bytes_below(tmp_ / "b"),
             c = testing::output_bytes_below(tmp_ / "c");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_TRUE(a == b);
  for (const auto& [name, bytes] : a) EXPECT_NE(c.at(name), bytes) << name;
  ASSERT_EQ(testing::run_shell(line(few, tmp_ / "s1", "--variant scramble --seed 1")).exit_code, 0);
  ASSERT_EQ(testing::run_shell(line(few, tmp_ / "s2", "--variant scramble --seed 2")).exit_code, 0);
  EXPECT_NE(testing::manifest_pairs(tmp_ / "s1"), testing::manifest_pairs(tmp_ / "s2"));  // other orders
}

TEST_F(DeriveCli, SigkillThenRerunEqualsAnUninterruptedRun) {
  const std::string args = "--variant patch --format png";
  const fs::path reference_out = tmp_ / "reference", out = tmp_ / "out";
  ASSERT_EQ(derive(reference_out, args).exit_code, 0);
  // Once some outputs exist, at a random moment.
  const auto killed = testing::kill_at_a_random_moment(
      line(content(), out, args), out,
      [&] { return testing::wait_for_outputs(out, 20, std::chrono::seconds(60)); },
      std::chrono::milliseconds(300));
  ASSERT_TRUE(killed.landed) << killed.why;
  ASSERT_LT(testing::output_files_below(out).size(), testing::output_files_below(reference_out).size());
  // A killed writer may leave a temporary: plant one of a planned output, so the cleanup always runs.
  const fs::path planted = testing::output_files_below(reference_out).back();
  fs::create_directories(out / planted.parent_path());
  testing::write_bytes(out / planted.parent_path() / ("." + planted.filename().string() + ".tmp-99999-0"),
                       "torn");
  const auto rerun = derive(out, args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_TRUE(testing::output_bytes_below(out) == testing::output_bytes_below(reference_out));
  std::map<std::string, int> rows;
  for (const ManifestEntry& e : read_manifests(out)) ++rows[e.output];
  EXPECT_EQ(rows.size(), testing::output_files_below(reference_out).size());
  for (const auto& [name, n] : rows) EXPECT_EQ(n, 1) << name;
  EXPECT_EQ(testing::temporaries_below(out), 0u);
  EXPECT_EQ(testing::manifest_pairs(out), testing::manifest_pairs(reference_out));
  EXPECT_EQ(verify(out).exit_code, 0);
}

TEST_F(DeriveCli, SigtermStopsBetweenContentsWithTheJournalFlushedAndARerunFinishes) {
  const std::string args = "--variant patch --format png";
  const fs::path reference_out = tmp_ / "reference", out = tmp_ / "out";
  ASSERT_EQ(derive(reference_out, args).exit_code, 0);
  const pid_t pid = testing::spawn(line(content(), out, args));
  ASSERT_TRUE(testing::wait_for_outputs(out, 20, std::chrono::seconds(60)));
  kill(pid, SIGTERM);
  const int status = testing::wait_for(pid, std::chrono::seconds(30));
  ASSERT_TRUE(WIFEXITED(status)) << "no clean exit after SIGTERM";
  ASSERT_EQ(WEXITSTATUS(status), 128 + SIGTERM)
      << "the run ended before the signal: the test needs more images";
  EXPECT_EQ(testing::temporaries_below(out), 0u);  // a clean stop leaves none
  // Every output on the disk is in the journal: the stop flushed it.
  std::set<std::string> recorded;
  for (const ManifestEntry& e : read_manifests(out)) recorded.insert(e.output);
  for (const std::string& f : testing::output_files_below(out)) EXPECT_EQ(recorded.count(f), 1u) << f;
  ASSERT_EQ(derive(out, args).exit_code, 0);
  EXPECT_TRUE(testing::output_bytes_below(out) == testing::output_bytes_below(reference_out));
  EXPECT_EQ(testing::manifest_pairs(out), testing::manifest_pairs(reference_out));
}

TEST_F(DeriveCli, ACorruptImageIsSkippedAndRecorded) {
  const fs::path few = few_contents(2);
  testing::write_bytes(few / "class_a" / "broken.png", "\x89PNG\r\n\x1a\nnot really");
  const fs::path out = tmp_ / "out";
  const auto r = testing::run_shell(line(few, out, "--variant rotation"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(testing::output_files_below(out).size(), 8u);  // 2 images x 4 rotations
  const auto rows = read_csv(skipped_path(out, ShardId{}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "content");
  EXPECT_EQ(rows[1][1], "class_a/broken.png");
  EXPECT_EQ(verify(out).exit_code, 0);
  // A rerun takes the skip as done: nothing written again, nothing recorded twice.
  ASSERT_EQ(testing::run_shell(line(few, out, "--variant rotation")).exit_code, 0);
  EXPECT_EQ(read_csv(skipped_path(out, ShardId{})).size(), 2u);
}

TEST_F(DeriveCli, AWrongFlagFailsBeforeAnyWork) {
  const std::vector<std::string> wrong = {
      "--variant scramble --grid 5",            // 224 is no multiple of 5
      "--variant scramble --grid 1 --derange",  // one block has one order
      "--variant scramble --copies 0",
      "--variant scramble --grid 8,x",
      "--variant patch --patch-size 300",
      "--variant patch --grid 8",  // another variant's flag
      "--variant contrast --levels 1.5",
      "--variant contrast --levels 0.1,0.1",
      "--variant rotation --levels 45",
      "--variant high-pass --levels 0",
      "--variant greyscale --levels grey",
      "--variant scramble --levels 1",
      "--variant sepia",
      "",  // no variant
      "--variant rotation --crop 4",
      "--variant phase-noise --crop 223",  // its spectrum splits around the DC term of an even side
      "--variant phase-noise --levels 200",
      "--variant rotation --spectrum /dev/null",  // power equalisation's flag
      "--variant power-equalise --spectrum /no/such/file.npy",
      "--variant power-equalise --levels flat",
      "--variant false-colour",  // the opponent level needs the monitor's gamma table
      "--variant rotation --gamma-table /dev/null",
      "--variant rotation --no-such-flag",
      "--variant rotation --format png --png-level 13",
  };
  for (const std::string& args : wrong) {
    const fs::path out = tmp_ / "out";
    const auto r = derive(out, args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.output;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
  const auto inside = derive(content() / "out", "--variant rotation");
  EXPECT_EQ(inside.exit_code, 2) << inside.output;
}

TEST_F(DeriveCli, ShardsAreDisjointAndTogetherOneRun) {
  const std::string args = "--variant scramble --grid 4 --copies 2 --seed 9";
  const fs::path whole = tmp_ / "whole", sharded = tmp_ / "sharded";
  ASSERT_EQ(derive(whole, args).exit_code, 0);
  std::set<std::string> seen;
  for (int k = 0; k < 3; ++k) {
    const fs::path alone = tmp_ / ("alone" + std::to_string(k));
    ASSERT_EQ(derive(alone, args + " --shard " + std::to_string(k) + "/3").exit_code, 0);
    ASSERT_EQ(derive(sharded, args + " --shard " + std::to_string(k) + "/3").exit_code, 0);
    for (const std::string& f : testing::output_files_below(alone)) EXPECT_TRUE(seen.insert(f).second) << f;
  }
  EXPECT_TRUE(testing::output_bytes_below(sharded) == testing::output_bytes_below(whole));
  EXPECT_EQ(seen.size(), testing::output_files_below(whole).size());
  EXPECT_EQ(testing::manifest_pairs(sharded), testing::manifest_pairs(whole));
  EXPECT_EQ(verify(sharded).exit_code, 0);
}

TEST_F(DeriveCli, FalseColourEqualsTheReferenceWithTheGivenGammaTable) {
  const fs::path few = few_contents(2), out = tmp_ / "out", table = tmp_ / "gamma.npy";
  cv::Mat gamma(1, 256, CV_64FC1);
  for (int i = 0; i < 256; ++i) gamma.at<double>(0, i) = std::pow(i / 255.0, 2.2);
  write_spectrum_file(table, gamma, "");
  const auto r =
      testing::run_shell(line(few, out, "--variant false-colour --format png --gamma-table " + quote(table)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto ref =
      testing::run_reference("derive_reference.py", quote(few) + " " + quote(out) + " 0 0 " + quote(table));
  EXPECT_EQ(ref.exit_code, 0) << ref.output;
  EXPECT_EQ(testing::output_files_below(out).size(), 4u);  // true and opponent for 2 images
}

TEST_F(DeriveCli, PowerEqualisationReadsBackTheSpectrumItWrote) {
  const fs::path few = few_contents(3);
  const fs::path mean = tmp_ / "mean", reread = tmp_ / "reread";
  ASSERT_EQ(testing::run_shell(line(few, mean, "--variant power-equalise --format png")).exit_code, 0);
  ASSERT_TRUE(fs::exists(mean / "sinforge.spectrum.npy"));
  EXPECT_EQ(verify(mean).exit_code, 0);  // the spectrum is a record, not a stray
  const fs::path copy = tmp_ / "spectrum.npy";
  fs::copy_file(mean / "sinforge.spectrum.npy", copy);
  const auto r = testing::run_shell(
      line(few, reread, "--variant power-equalise --format png --spectrum " + quote(copy)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(testing::output_bytes_below(reread) == testing::output_bytes_below(mean));
  // A spectrum of another size than the crop is refused before the output folder is touched.
  const fs::path small = tmp_ / "small";
  const auto wrong =
      testing::run_shell(line(few, small, "--variant power-equalise --crop 112 --spectrum " + quote(copy)));
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_FALSE(fs::exists(small));
}

TEST_F(DeriveCli, AResumeTakesTheRecordedSpectrumSoEveryOutputSharesOne) {
  const fs::path few = few_contents(3), out = tmp_ / "out";
  const std::string args = "--variant power-equalise --format png";
  ASSERT_EQ(testing::run_shell(line(few, out, args)).exit_code, 0);
  const auto first = testing::output_bytes_below(out);
  // An output lost and the record replaced by another spectrum: the resume writes the lost output with the
  // recorded one (as a later shard would), not with a new mean of the set.
  const std::string lost = first.begin()->first;
  fs::remove(out / lost);
  cv::Mat flat(224, 224, CV_64FC1, cv::Scalar(20.0));
  flat.at<double>(112, 112) = 0.4423 * 224 * 224;  // the DC term: mean grey
  write_spectrum_file(out / "sinforge.spectrum.npy", flat, "");
  const auto resumed = testing::run_shell(line(few, out, args + " --log-level info"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("spectrum recorded in"), std::string::npos) << resumed.output;
  const fs::path given = tmp_ / "given", flat_file = tmp_ / "flat.npy";
  write_spectrum_file(flat_file, flat, "");
  ASSERT_EQ(testing::run_shell(line(few, given, args + " --spectrum " + quote(flat_file))).exit_code, 0);
  EXPECT_EQ(testing::output_bytes_below(out).at(lost), testing::output_bytes_below(given).at(lost));
  EXPECT_NE(testing::output_bytes_below(out).at(lost), first.at(lost));
}

TEST_F(DeriveCli, AGammaTableWithANonFiniteEntryIsRefusedBeforeAnyWork) {
  const fs::path table = tmp_ / "gamma.npy", out = tmp_ / "out";
  cv::Mat gamma(1, 256, CV_64FC1);
  for (int i = 0; i < 256; ++i) gamma.at<double>(0, i) = i / 255.0;
  gamma.at<double>(0, 7) = std::numeric_limits<double>::infinity();
  write_spectrum_file(table, gamma, "");
  const auto r = derive(out, "--variant false-colour --gamma-table " + quote(table));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("entry 7"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(DeriveCli, ARerunWithOtherSettingsIsRefused) {
  const fs::path out = tmp_ / "out";
  const fs::path few = few_contents(1);
  ASSERT_EQ(testing::run_shell(line(few, out, "--variant scramble --seed 1")).exit_code, 0);
  const auto r = testing::run_shell(line(few, out, "--variant scramble --seed 2"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("seed"), std::string::npos) << r.output;
  // --overwrite recomputes every output with the new settings: the folder equals a fresh run's (the files
  // on the disk were taken for done before, and kept seed 1's block orders under seed 2's record).
  const auto again = testing::run_shell(line(few, out, "--variant scramble --seed 2 --overwrite"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  const fs::path fresh = tmp_ / "fresh";
  ASSERT_EQ(testing::run_shell(line(few, fresh, "--variant scramble --seed 2")).exit_code, 0);
  EXPECT_TRUE(testing::output_bytes_below(out) == testing::output_bytes_below(fresh));
  EXPECT_EQ(testing::manifest_pairs(out), testing::manifest_pairs(fresh));
}

// The webdataset layout holds the folder layout's bytes: each output under the key its folder name gives
// (sample_key), with ImageFolder's class and a .json naming the content and the derivation as the
// manifest does; verify finds it whole.
TEST_F(DeriveCli, TheWebDatasetLayoutHoldsTheFolderLayoutsOutputsUnderTheirKeys) {
  if (!webdataset_available()) GTEST_SKIP() << "built without libarchive";
  const std::string args = "--variant scramble --grid 4,2 --copies 2 --original --format png --seed 5";
  const fs::path folder = tmp_ / "folder", tars = tmp_ / "tars";
  ASSERT_EQ(derive(folder, args).exit_code, 0);
  const auto r = derive(tars, args + " --output-layout webdataset --tar-size 256k --tar-prefix derived");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GT(series_tars(tars, "derived", 0).size(), 1u) << "256k holds a few 224x224 PNGs, not 75";
  EXPECT_EQ(read_classes(tars), (std::vector<std::string>{"class_a", "class_b"}));
  std::map<std::string, ManifestEntry> folder_rows;
  for (const ManifestEntry& e : read_manifests(folder)) folder_rows.emplace(e.output, e);
  const testing::TarSamples samples = testing::tar_samples_below(tars);
  EXPECT_TRUE(samples.repeated.empty());
  const auto files = testing::output_bytes_below(folder);
  ASSERT_EQ(files.size(), 75u);  // 15 contents x (2 grids x 2 copies + the original)
  ASSERT_EQ(samples.members.size(), files.size());
  for (const auto& [path, bytes] : files) {
    const auto found = samples.members.find(sample_key(path));
    ASSERT_NE(found, samples.members.end()) << path;
    const auto& members = found->second;
    ASSERT_EQ(members.size(), 3u) << path;
    EXPECT_TRUE(members.at("png") == bytes) << path << ": not the folder layout's bytes";
    const std::string cls = fs::path(path).begin()->string() == "class_a" ? "0" : "1";
    EXPECT_EQ(members.at("cls"), cls) << path;
    const nlohmann::json j = nlohmann::json::parse(members.at("json"));
    EXPECT_EQ(j.at("content").get<std::string>(), folder_rows.at(path).content) << path;
    EXPECT_EQ(j.at("derivation").get<std::string>(), folder_rows.at(path).painting) << path;
    EXPECT_FALSE(j.contains("alpha")) << "no stylization: no alpha";
  }
  const auto v = verify(tars);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  // A content at the top of --content has no class: refused before any work.
  const fs::path flat = tmp_ / "flat", flat_out = tmp_ / "flat_out";
  fs::create_directories(flat);
  fs::copy_file(content() / "class_a" / fs::directory_iterator(content() / "class_a")->path().filename(),
                flat / "top.png");
  const auto refused =
      testing::run_shell(line(flat, flat_out, "--variant greyscale --output-layout webdataset"));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("top.png"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(flat_out));
}

TEST_F(DeriveCli, WebDatasetSigkillThenRerunGivesTheSameSamples) {
  if (!webdataset_available()) GTEST_SKIP() << "built without libarchive";
  const std::string args = "--variant patch --format png --output-layout webdataset --tar-size 512k";
  const fs::path reference_out = tmp_ / "reference", out = tmp_ / "out";
  ASSERT_EQ(derive(reference_out, args).exit_code, 0);
  // Once a tar exists (committed or still open), at a random moment.
  const auto killed = testing::kill_at_a_random_moment(
      line(content(), out, args), out,
      [&] {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < end) {
          std::error_code ec;
          for (const auto& e : fs::directory_iterator(out, ec))
            if (e.path().filename().string().find(".tar") != std::string::npos) return true;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
      },
      std::chrono::milliseconds(300));
  ASSERT_TRUE(killed.landed) << killed.why;
  const auto rerun = derive(out, args);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
  const testing::TarSamples expected = testing::tar_samples_below(reference_out),
                            actual = testing::tar_samples_below(out);
  EXPECT_TRUE(actual.repeated.empty()) << actual.repeated.front();
  ASSERT_EQ(actual.members.size(), expected.members.size());
  for (const auto& [key, members] : expected.members) {
    ASSERT_EQ(actual.members.count(key), 1u) << key;
    EXPECT_TRUE(actual.members.at(key) == members) << "members differ: " << key;
  }
  std::map<std::string, int> rows;
  for (const ManifestEntry& e : read_manifests(out)) ++rows[e.output];
  EXPECT_EQ(rows.size(), expected.members.size());
  for (const auto& [key, n] : rows) EXPECT_EQ(n, 1) << key;
  EXPECT_EQ(testing::temporaries_below(out), 0u);
  EXPECT_EQ(verify(out).exit_code, 0);
}

}  // namespace
}  // namespace sinforge
