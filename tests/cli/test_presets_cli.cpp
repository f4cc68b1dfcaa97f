// `sinforge run --preset` and the style bank file from the outside: output sizes and names of the presets,
// flags over presets, excluded paintings, and a bank that is built once, reused, and rebuilt or refused
// when stale or corrupt.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"
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

class CliPresets : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two small contents keep the 224x224 CPU runs short; the paintings are the samples plus one too small
    // for sin224 (200x300).
    fs::create_directories(content_ / "n01");
    fs::copy_file(testing::samples_dir() / "content" / "chelsea.jpg", content_ / "n01" / "a.JPEG");
    fs::copy_file(testing::samples_dir() / "content" / "coffee.jpg", content_ / "n01" / "b.JPEG");
    fs::copy(testing::samples_dir() / "styles", styles_);
    cv::Mat small(300, 200, CV_8UC3, cv::Scalar(30, 90, 150));
    write_file_atomic(styles_ / "small.png", encode_image(small, ImageFormat::kPng));
  }
  // A JPEG whose frame header claims 20000x12000 pixels (over the cap): must be reported, never decoded.
  void add_oversized_painting() {
    std::vector<uint8_t> jpeg =
        encode_image(cv::Mat(64, 64, CV_8UC3, cv::Scalar(9, 9, 9)), ImageFormat::kJpeg);
    for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
      if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
        jpeg[i + 5] = 12000 >> 8, jpeg[i + 6] = 12000 & 0xFF, jpeg[i + 7] = 20000 >> 8,
                 jpeg[i + 8] = 20000 & 0xFF;
        break;
      }
    }
    write_file_atomic(styles_ / "huge.jpg", jpeg);
  }
  static std::string weight_flags() { return testing::demo_weights().flags(); }
  testing::CommandResult run(const fs::path& out, const std::string& args, const char* level = "warn") {
    return run_shell(quote(testing::cli()) + " run --content " + quote(content_) + " --styles " +
                     quote(styles_) + " --out " + quote(out) + " --device cpu " + args + weight_flags() +
                     " --log-level " + level);
  }
  void expect_images(const fs::path& out, int side) {
    EXPECT_EQ(testing::output_files_below(out), (std::vector<std::string>{"n01/a.png", "n01/b.png"}));
    for (const auto& name : testing::output_files_below(out)) {
      const cv::Mat m = read_image(out / name);
      EXPECT_EQ(m.size(), cv::Size(side, side)) << name;
      EXPECT_EQ(read_bytes(out / name).substr(1, 3), "PNG") << name;
    }
  }

  TempDir tmp_;
  fs::path content_ = tmp_ / "content";
  fs::path styles_ = tmp_ / "styles";
};

TEST_F(CliPresets, Sin224GivesPng224AndExcludesSmallPaintings) {
  add_oversized_painting();
  const fs::path out = tmp_ / "out";
  const auto r = run(out, "--preset sin224");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_images(out, 224);
  auto skipped = read_csv(skipped_path(out, ShardId{}));
  ASSERT_EQ(skipped.size(), 3u) << "header, the small and the oversized painting";
  std::sort(skipped.begin() + 1, skipped.end());
  EXPECT_EQ(skipped[1][0], "painting");
  EXPECT_EQ(skipped[1][1], "huge.jpg");
  EXPECT_NE(skipped[1][2].find("exceeds the limit"), std::string::npos) << skipped[1][2];
  EXPECT_EQ(skipped[2][1], "small.png");
  EXPECT_NE(skipped[2][2].find("under 224"), std::string::npos) << skipped[2][2];
  for (const ManifestEntry& e : read_manifests(out)) {
    EXPECT_NE(e.painting, "small.png");
    EXPECT_NE(e.painting, "huge.jpg");
  }
}

TEST_F(CliPresets, Sin64GivesPng64AndFlagsOverridePresets) {
  auto r = run(tmp_ / "out64", "--preset sin64");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_images(tmp_ / "out64", 64);
  // An explicit flag beats the preset's value; the rest of the preset still applies (PNG, the crop).
  r = run(tmp_ / "out32", "--preset sin64 --output-size 32 --style-min-size 0 --style-size 32");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_images(tmp_ / "out32", 32);
  EXPECT_EQ(read_csv(skipped_path(tmp_ / "out32", ShardId{})).size(), 1u)
      << "small.png is no longer excluded";
  const auto manifest = read_manifests(tmp_ / "out32");
  ASSERT_EQ(manifest.size(), 2u);
  EXPECT_EQ(manifest[0].width, 32);
}

TEST_F(CliPresets, BadPresetsFailBeforeAnyWork) {
  std::ofstream(tmp_ / "bad.yaml") << "content-size: 256\nstyle-crop: circle\n";
  std::ofstream(tmp_ / "typo.yaml") << "contentsize: 256\n";
  for (const auto& [args, fragment] : std::vector<std::pair<std::string, std::string>>{
           {"--preset " + quote(tmp_ / "bad.yaml"), "'style-crop'"},
           {"--preset " + quote(tmp_ / "typo.yaml"), "'contentsize'"},
           {"--preset sin1000", "sin1000"},
           {"--output-size 64", "--crop"},
           {"--style-crop round", "--style-crop"}}) {
    const auto r = run(tmp_ / "never", args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(fragment), std::string::npos) << args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(tmp_ / "never")) << args;
  }
}

TEST_F(CliPresets, BankIsReusedAndGivesTheSameBytes) {
  const std::string flags = "--content-size 40 --style-size 48 --num-styles 2 --format png";
  const fs::path bank = tmp_ / "paintings.bank";
  auto r = run(tmp_ / "a", flags, "info");  // builds <out>/sinforge.styles.bank
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("style bank written"), std::string::npos) << r.output;
  ASSERT_TRUE(fs::is_regular_file(tmp_ / "a" / "sinforge.styles.bank"));
  // `sinforge styles` builds the same bank explicitly; a run reuses it.
  r = run_shell(quote(testing::cli()) + " styles --styles " + quote(styles_) + " --out " + quote(bank) +
                " --style-size 48 --device cpu" + weight_flags());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run(tmp_ / "b", flags + " --style-bank " + quote(bank), "info");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("style bank reused"), std::string::npos) << r.output;
  const auto files = testing::output_files_below(tmp_ / "a");
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files, testing::output_files_below(tmp_ / "b"));
  for (const auto& f : files) EXPECT_EQ(read_bytes(tmp_ / "a" / f), read_bytes(tmp_ / "b" / f)) << f;
  EXPECT_EQ(read_manifests(tmp_ / "a").size(), read_manifests(tmp_ / "b").size());
}

TEST_F(CliPresets, StaleOrCorruptBanksAreRebuiltOrRefused) {
  const std::string flags = "--content-size 32 --style-size 32";
  const fs::path bank = tmp_ / "paintings.bank";
  ASSERT_EQ(run(tmp_ / "a", flags + " --style-bank " + quote(bank)).exit_code, 0);
  // Named explicitly and stale: refused, saying what changed.
  const fs::path touched = styles_ / "hubble.jpg";
  fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::seconds(3));
  auto r = run(tmp_ / "b", flags + " --style-bank " + quote(bank));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("hubble.jpg modified"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(tmp_ / "b"));
  r = run(tmp_ / "b", "--content-size 32 --style-size 33 --style-bank " + quote(bank));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("style-size 32 -> 33"), std::string::npos) << r.output;
  // At the default place: rebuilt, with what changed in the log.
  r = run(tmp_ / "a", flags, "info");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Other settings into the same folder need --overwrite (the settings record refuses them otherwise).
  r = run(tmp_ / "a", "--content-size 32 --style-size 36 --overwrite", "info");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("style-size 32 -> 36"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("style bank written"), std::string::npos) << r.output;
  // Truncated at the default place: rebuilt; named explicitly: refused.
  const fs::path default_bank = tmp_ / "a" / "sinforge.styles.bank";
  const std::string bytes = read_bytes(default_bank);
  std::ofstream(default_bank, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
  fs::copy_file(default_bank, bank, fs::copy_options::overwrite_existing);
  r = run(tmp_ / "a", "--content-size 32 --style-size 36", "info");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("checksum"), std::string::npos) << r.output;
  EXPECT_EQ(read_bytes(default_bank).size(), bytes.size()) << "rebuilt in full";
  r = run(tmp_ / "c", "--content-size 32 --style-size 36 --style-bank " + quote(bank));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("not a usable style bank"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sinforge
