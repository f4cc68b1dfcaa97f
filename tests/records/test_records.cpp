// The records a run keeps in its output folder.
#include <gtest/gtest.h>

#include <fstream>

#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

using testing::TempDir;

TEST(Records, CsvQuotesWhatNeedsIt) {
  EXPECT_EQ(csv_row({"a", "b c", "1"}), "a,b c,1\n");
  EXPECT_EQ(csv_row({"x,y", "say \"hi\"", "line\nbreak"}), "\"x,y\",\"say \"\"hi\"\"\",\"line\nbreak\"\n");
}

TEST(Records, ManifestRoundTripsAwkwardPaths) {
  TempDir dir;
  const std::vector<ManifestEntry> entries = {{"a/b.jpg", "p/1.jpg", "a/b.jpg", 500, 375, ""},
                                              {"über, \"x\".jpg", "q.png", "über, \"x\".jpg", 9, 10, ""}};
  {
    RunRecorder recorder(dir.path(), ShardId{1, 3});
    for (const auto& e : entries) recorder.record_output(e);
    recorder.record_skip({"content", "bad.jpg", "not an image"});
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "sinforge.manifest.shard-1-of-3.csv"));
  const auto read = read_manifests(dir.path());
  ASSERT_EQ(read.size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(read[i].content, entries[i].content);
    EXPECT_EQ(read[i].painting, entries[i].painting);
    EXPECT_EQ(read[i].output, entries[i].output);
    EXPECT_EQ(read[i].width, entries[i].width);
    EXPECT_EQ(read[i].height, entries[i].height);
  }
  const auto skipped = read_csv(dir / "sinforge.skipped.shard-1-of-3.csv");
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[1], (std::vector<std::string>{"content", "bad.jpg", "not an image"}));
}

TEST(Records, ReopeningAppendsWithoutASecondHeader) {
  TempDir dir;
  for (int run = 0; run < 2; ++run) {
    RunRecorder recorder(dir.path(), ShardId{});
    recorder.record_output({"c" + std::to_string(run), "p", "o", 1, 2, ""});
  }
  EXPECT_EQ(read_csv(dir / "sinforge.manifest.shard-0-of-1.csv").size(), 3u);
  EXPECT_EQ(read_manifests(dir.path()).size(), 2u);
}

TEST(Records, ATornLastRowIsDropped) {
  TempDir dir;
  std::ofstream(dir / "m.csv") << "content,painting\na,b\n\"half";
  EXPECT_EQ(read_csv(dir / "m.csv").size(), 2u);
}

// A kill can leave a row without its newline; the next run must not glue its first row onto it.
TEST(Records, AppendingAfterATornRowDropsTheTornRow) {
  TempDir dir;
  { RunRecorder(dir.path(), ShardId{}).record_output({"a.jpg", "p.jpg", "a.jpg", 1, 2, ""}); }
  std::ofstream(manifest_path(dir.path(), ShardId{}), std::ios::app) << "b.jpg,p.jp";
  { RunRecorder(dir.path(), ShardId{}).record_output({"c.jpg", "p.jpg", "c.jpg", 3, 4, ""}); }
  const auto read = read_manifests(dir.path());
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].content, "a.jpg");
  EXPECT_EQ(read[1].content, "c.jpg");
}

// A damaged size in a manifest row is that file's error, naming the row: not std::invalid_argument from
// stoi (which no caller expects), and "12abc" is no 12.
TEST(Records, AManifestRowWithADamagedSizeIsAnErrorNamingTheRow) {
  testing::TempDir tmp;
  for (const char* width : {"abc", "12abc", "", "99999999999"}) {
    testing::write_bytes(
        tmp / "sinforge.manifest.shard-0-of-1.csv",
        std::string("content,painting,output,width,height\na.jpg,p.jpg,a.jpg,") + width + ",7\n");
    try {
      read_manifests(tmp.path());
      ADD_FAILURE() << "width '" << width << "' was read";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("row 2: the width '" + std::string(width) + "' is not a number"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(Records, TheWebDatasetManifestHasATarColumn) {
  TempDir dir;
  {
    RunRecorder(dir.path(), ShardId{}, true)
        .record_output({"a/b.jpg", "p.jpg", "a_sb", 5, 6, "s-0-000003.tar"});
  }
  const auto rows = read_csv(manifest_path(dir.path(), ShardId{}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].back(), "tar");
  const auto read = read_manifests(dir.path());
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].output, "a_sb");
  EXPECT_EQ(read[0].tar, "s-0-000003.tar");
}

}  // namespace
}  // namespace sinforge
