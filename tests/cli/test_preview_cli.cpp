// `sinforge preview`: the sheet's geometry, its result tiles against what `sinforge run` writes, clamping
// of -n, determinism, tar shards as --content, and bad flags failing before any work.
#include "sinforge/tools/preview.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include "sinforge/image/image_io.h"
#include "sinforge/image/resize.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

constexpr int kTile = 64;

struct Row {
  std::string content, painting;
};

// "row 0: a.jpg | p.jpg" lines of the preview's stdout.
std::vector<Row> rows_of(const std::string& output) {
  static const std::regex line(R"(row \d+: (.+) \| (.+))");
  std::vector<Row> rows;
  std::istringstream in(output);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_match(l, m, line)) rows.push_back({m[1], m[2]});
  }
  return rows;
}

// A painting's tile width: style recipe (shorter side 48), then scaled to the tile height.
int painting_tile_width(const std::string& painting) {
  const cv::Mat p = read_image(testing::samples_dir() / "styles" / painting);
  const auto [w, h] = shorter_side_size(p.cols, p.rows, 48);
  return static_cast<int>(std::lround(w * static_cast<double>(kTile) / h));
}

class Preview : public ::testing::Test {
 protected:
  static std::string common(const fs::path& content = testing::samples_dir() / "content") {
    return " --content " + quote(content) + " --styles " + quote(testing::samples_dir() / "styles") +
           " --content-size 40 --crop 32 --style-size 48 --seed 7 --device cpu --log-level warn --vgg " +
           quote(testing::demo_weights().vgg) + " --decoder " + quote(testing::demo_weights().decoder);
  }
  static testing::CommandResult preview(const std::string& args) {
    return testing::run_shell(quote(testing::cli()) + " preview" + common() + args);
  }
  TempDir tmp_;
};

TEST_F(Preview, SheetGeometryAndResultsMatchTheRun) {
  const fs::path sheet_file = tmp_ / "sheet.png";
  const auto r = preview(" -n 3 --tile-height " + std::to_string(kTile) + " --out " + quote(sheet_file));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<Row> rows = rows_of(r.output);
  ASSERT_EQ(rows.size(), 3u) << r.output;
  const cv::Mat sheet = read_image(sheet_file);
  int painting_column = 0;
  for (const Row& row : rows) painting_column = std::max(painting_column, painting_tile_width(row.painting));
  EXPECT_EQ(sheet.rows, 3 * kTile + 4 * kPreviewGap);
  EXPECT_EQ(sheet.cols, 2 * kTile + painting_column + 4 * kPreviewGap);

  // The same recipe and seed through `sinforge run`, losslessly: each result tile is that output, scaled.
  const fs::path out = tmp_ / "run";
  const auto run =
      testing::run_shell(quote(testing::cli()) + " run" + common() + " --format png --out " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const int result_x = 3 * kPreviewGap + kTile + painting_column;
  for (size_t i = 0; i < rows.size(); ++i) {
    const fs::path written = out / fs::path(rows[i].content).replace_extension(".png");
    const cv::Mat expected = resize_pillow(read_image(written), kTile, kTile, ResampleFilter::kBilinear);
    const int y = kPreviewGap + static_cast<int>(i) * (kTile + kPreviewGap);
    const cv::Mat tile = sheet(cv::Rect(result_x, y, kTile, kTile));
    cv::Mat diff;
    cv::absdiff(tile, expected, diff);
    double max_diff = 0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
    EXPECT_LE(max_diff, 2.0) << rows[i].content;
    double lo = 0, hi = 0;
    cv::minMaxLoc(expected.reshape(1), &lo, &hi);
    // Random weights on 32 px crops give low-contrast results; enough to tell tiles apart at tolerance 2.
    EXPECT_GT(hi - lo, 8) << "result too flat to compare anything";
  }
  // The gap between rows is background, not image.
  EXPECT_EQ(sheet.at<cv::Vec3b>(kPreviewGap + kTile + 1, kPreviewGap + 5), cv::Vec3b(40, 40, 40));
}

// The flagship presets through preview and run on the same folders: the paintings cropped square and
// shrunk with Lanczos (a square painting tile), one under --style-min-size left out of the pairing as the
// run leaves it out, and each result tile the run's output (sin64: shrunk to 64x64), scaled.
class PreviewPresets : public ::testing::TestWithParam<std::string> {
 protected:
  TempDir tmp_;
};

TEST_P(PreviewPresets, TilesAndPairsAreTheRuns) {
  const std::string preset = GetParam();
  for (const char* name : {"astronaut.jpg", "chelsea.jpg", "coffee.jpg"}) {
    fs::create_directories(tmp_ / "content");
    fs::copy_file(testing::samples_dir() / "content" / name, tmp_ / "content" / name);
  }
  fs::copy(testing::samples_dir() / "styles", tmp_ / "styles");
  cv::Mat small(90, 120, CV_8UC3);
  cv::randu(small, 0, 256);
  testing::write_bytes(tmp_ / "styles" / "a_small.jpg", encode_image(small, ImageFormat::kJpeg));
  const std::string inputs = " --content " + quote(tmp_ / "content") + " --styles " + quote(tmp_ / "styles") +
                             " --preset " + preset + " --seed 3 --device cpu --log-level warn --vgg " +
                             quote(testing::demo_weights().vgg) + " --decoder " +
                             quote(testing::demo_weights().decoder);
  const fs::path sheet_file = tmp_ / "sheet.png";
  const auto r = testing::run_shell(quote(testing::cli()) + " preview" + inputs + " -n 3 --tile-height " +
                                    std::to_string(kTile) + " --out " + quote(sheet_file));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<Row> rows = rows_of(r.output);
  ASSERT_EQ(rows.size(), 3u) << r.output;
  const fs::path out = tmp_ / "run";
  const auto run = testing::run_shell(quote(testing::cli()) + " run" + inputs + " --out " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::map<std::string, std::string> painting_of;
  for (const ManifestEntry& e : read_manifests(out)) painting_of[e.content] = e.painting;

  const cv::Mat sheet = read_image(sheet_file);
  // Content 224x224 and painting 224x224 (square crop), each scaled to the tile height: square tiles.
  EXPECT_EQ(sheet.cols, 3 * kTile + 4 * kPreviewGap) << "a painting tile is not square: not cropped";
  const int result_x = 3 * kPreviewGap + 2 * kTile;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].painting, "a_small.jpg") << "a painting the run leaves out was paired";
    EXPECT_EQ(rows[i].painting, painting_of[rows[i].content]) << rows[i].content;
    const fs::path written = out / fs::path(rows[i].content).replace_extension(".png");
    const cv::Mat output = read_image(written);
    EXPECT_EQ(output.cols, preset == "sin64" ? 64 : 224) << written;
    const cv::Mat expected = resize_pillow(output, kTile, kTile, ResampleFilter::kBilinear);
    const int y = kPreviewGap + static_cast<int>(i) * (kTile + kPreviewGap);
    if (sheet.cols < result_x + kTile) break;
    cv::Mat diff;
    cv::absdiff(sheet(cv::Rect(result_x, y, kTile, kTile)), expected, diff);
    double max_diff = 0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
    EXPECT_LE(max_diff, 2.0) << rows[i].content;
  }
}

INSTANTIATE_TEST_SUITE_P(Flagship, PreviewPresets, ::testing::Values("sin224", "sin64"));

TEST_F(Preview, SamplesAreDeterministicAndNClamps) {
  const auto a = preview(" -n 50 --tile-height 32 --out " + quote(tmp_ / "a.jpg"));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(rows_of(a.output).size(), 5u) << "five sample images, however many asked for";
  EXPECT_EQ(read_image(tmp_ / "a.jpg").rows, 5 * 32 + 6 * kPreviewGap);
  const auto b = preview(" -n 2 --tile-height 32 --out " + quote(tmp_ / "b.png"));
  ASSERT_EQ(b.exit_code, 0) << b.output;
  const auto rows_a = rows_of(a.output), rows_b = rows_of(b.output);
  ASSERT_EQ(rows_b.size(), 2u);
  for (size_t i = 0; i < rows_b.size(); ++i) {
    EXPECT_EQ(rows_b[i].content, rows_a[i].content) << "a smaller -n must be a prefix of the same sample";
    EXPECT_EQ(rows_b[i].painting, rows_a[i].painting);
  }
}

// Tar shards preview as the folder they extract to (the same rows, the same sheet) and pair as the run from
// those tars pairs.
TEST_F(Preview, TarShardsPreviewAsTheirExtractedFolderAndPairAsTheRun) {
  std::vector<std::pair<std::string, std::string>> members;
  fs::create_directories(tmp_ / "extracted" / "0");
  for (const auto& e : fs::directory_iterator(testing::samples_dir() / "content")) {
    fs::copy_file(e.path(), tmp_ / "extracted" / "0" / e.path().filename());
    members.emplace_back(e.path().filename().string(), testing::read_bytes(e.path()));
    members.emplace_back(e.path().stem().string() + ".cls", "0");
  }
  testing::write_tar(tmp_ / "shard.tar", members);
  const std::string sheet = " -n 3 --tile-height 32 --out ";
  const auto from_tar = testing::run_shell(quote(testing::cli()) + " preview" + common(tmp_ / "shard.tar") +
                                           sheet + quote(tmp_ / "tar.png"));
  ASSERT_EQ(from_tar.exit_code, 0) << from_tar.output;
  const auto from_folder = testing::run_shell(
      quote(testing::cli()) + " preview" + common(tmp_ / "extracted") + sheet + quote(tmp_ / "folder.png"));
  ASSERT_EQ(from_folder.exit_code, 0) << from_folder.output;
  const std::vector<Row> rows = rows_of(from_tar.output), folder_rows = rows_of(from_folder.output);
  ASSERT_EQ(rows.size(), 3u) << from_tar.output;
  ASSERT_EQ(folder_rows.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].content, folder_rows[i].content);
    EXPECT_EQ(rows[i].painting, folder_rows[i].painting);
  }
  EXPECT_TRUE(testing::read_bytes(tmp_ / "tar.png") == testing::read_bytes(tmp_ / "folder.png"))
      << "the sheets differ";
  const fs::path out = tmp_ / "run";
  const auto run = testing::run_shell(quote(testing::cli()) + " run" + common(tmp_ / "shard.tar") +
                                      " --out " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::map<std::string, std::string> painting_of;
  for (const ManifestEntry& e : read_manifests(out)) painting_of[e.content] = e.painting;
  for (const Row& row : rows) EXPECT_EQ(row.painting, painting_of[row.content]) << row.content;
}

TEST_F(Preview, BadFlagsFailBeforeAnyWork) {
  const fs::path sheet = tmp_ / "never.png";
  for (const std::string& args :
       {std::string(" -n 0"), std::string(" --alpha 2"), std::string(" --crop 3"),
        std::string(" --tile-height 4"), std::string(" --precision bf16"), std::string(" --bogus")}) {
    const auto r = preview(args + " --out " + quote(sheet));
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(sheet)) << args;
  }
  auto r = preview(" --out " + quote(tmp_ / "sheet.gif"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(".png"), std::string::npos) << r.output;
  r = preview("");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--out is required"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sinforge
