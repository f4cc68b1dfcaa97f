// Resume, piece by piece: removing only this shard's temporaries and replaying the journal.
#include <gtest/gtest.h>

#include <fstream>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "sinforge/records/resume.h"
#include "sinforge/records/run_settings.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(Resume, RemovesOnlyThisShardsTemporaries) {
  TempDir tmp;
  fs::create_directories(tmp / "d");
  for (const char* name :
       {"d/.mine.jpg.tmp-1-0", "d/.other.jpg.tmp-2-5", "d/mine.jpg.keep", ".top.jpg.tmp-3-1"}) {
    std::ofstream(tmp / name) << "x";
  }
  const std::vector<PlannedContent> planned = {{"d/mine.jpg", {0}, {"d/mine.jpg"}, {}, {}},
                                               {"top.jpg", {0}, {"top.jpg"}, {}, {}}};
  EXPECT_EQ(remove_stale_temporaries(tmp.path(), planned), 2u);
  EXPECT_FALSE(fs::exists(tmp / "d/.mine.jpg.tmp-1-0"));
  EXPECT_FALSE(fs::exists(tmp / ".top.jpg.tmp-3-1"));
  EXPECT_TRUE(fs::exists(tmp / "d/.other.jpg.tmp-2-5")) << "another shard's write in flight must survive";
  EXPECT_TRUE(fs::exists(tmp / "d/mine.jpg.keep"));
}

// The records' temporaries: this shard's own records always, the shared ones (settings, classes.txt, the
// style bank, also beside a --style-bank outside the folder) when they name this shard as owner; another
// shard's may be a write in flight.
TEST(Resume, RemovesTheRecordTemporariesThisShardLeft) {
  TempDir tmp;
  fs::create_directories(tmp / "out");
  fs::create_directories(tmp / "banks");
  const std::vector<std::string> mine = {
      "out/.sinforge.summary.shard-0-of-2.json.tmp-7-0",
      "out/.sinforge.settings.json.tmp-shard-0-of-2-7-1",
      "out/.sinforge.styles.bank.tmp-shard-0-of-2-7-2",
      "out/.classes.txt.tmp-shard-0-of-2-7-3",
      "banks/.my.bank.tmp-shard-0-of-2-7-4",
  };
  const std::vector<std::string> others = {
      "out/.sinforge.summary.shard-1-of-2.json.tmp-8-0",   // shard 1's own record
      "out/.sinforge.settings.json.tmp-shard-1-of-2-8-1",  // shard 1's write of a shared one
      "out/.sinforge.settings.json.tmp-9-0",               // no owner: with two shards, nobody knows whose
      "banks/.other.bank.tmp-shard-0-of-2-7-5",            // not the bank in use
      "out/.sinforge.summary.shard-0-of-2.json.tmp-x-0",   // not a temporary's name
  };
  for (const auto& name : mine) std::ofstream(tmp / name) << "x";
  for (const auto& name : others) std::ofstream(tmp / name) << "x";
  EXPECT_EQ(remove_stale_record_temporaries(tmp / "out", ShardId{0, 2}, tmp / "banks" / "my.bank"),
            mine.size());
  for (const auto& name : mine) EXPECT_FALSE(fs::exists(tmp / name)) << name;
  for (const auto& name : others) EXPECT_TRUE(fs::exists(tmp / name)) << name;
  // A single shard is the folder's only writer: an unowned temporary of a shared record is its own.
  EXPECT_EQ(remove_stale_record_temporaries(tmp / "out", ShardId{0, 1}, tmp / "out" / "sinforge.styles.bank"),
            2u);
  EXPECT_FALSE(fs::exists(tmp / "out/.sinforge.settings.json.tmp-9-0"));
  EXPECT_FALSE(fs::exists(tmp / "out/.sinforge.settings.json.tmp-shard-1-of-2-8-1"));
}

TEST(Resume, ReplaysTheJournal) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  cv::Mat image(10, 14, CV_8UC3, cv::Scalar(10, 20, 30));
  write_file_atomic(out / "a.png", encode_image(image, ImageFormat::kPng));    // recorded below
  write_file_atomic(out / "b.png", encode_image(image, ImageFormat::kPng));    // row lost in a kill
  write_file_atomic(out / "c-1.png", encode_image(image, ImageFormat::kPng));  // c: one of two outputs
  {
    RunRecorder earlier(out, {0, 1});
    earlier.record_output({"a.png", "p0.jpg", "a.png", 14, 10, ""});
    earlier.record_skip({"content", "bad.png", "not an image"});
  }
  const std::vector<fs::path> paintings = {"p0.jpg", "p1.jpg"};
  const std::vector<PlannedContent> planned = {{"a.png", {0}, {"a.png"}, {}, {}},
                                               {"b.png", {1}, {"b.png"}, {}, {}},
                                               {"bad.png", {0}, {"bad.png"}, {}, {}},
                                               {"c.png", {0, 1}, {"c-1.png", "c-2.png"}, {}, {}},
                                               {"d.png", {0}, {"d.png"}, {}, {}}};
  const Journal journal = read_journal(out);
  EXPECT_EQ(journal.recorded_outputs.size(), 1u);
  ResumeResult r;
  {
    RunRecorder recorder(out, {0, 1});
    r = resume_plan(planned, paintings, out, journal, recorder);
  }
  EXPECT_EQ(r.contents_done, 3u);       // a, b, bad
  EXPECT_EQ(r.outputs_rerecorded, 2u);  // b.png and c-1.png
  ASSERT_EQ(r.remaining.size(), 2u);
  EXPECT_EQ(r.remaining[0].relative, "c.png");
  EXPECT_EQ(r.remaining[1].relative, "d.png");
  EXPECT_EQ(r.existing_outputs, (std::set<fs::path>{"c-1.png"}));
  const auto rows = read_manifests(out);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].output, "b.png");
  EXPECT_EQ(rows[1].painting, "p1.jpg");
  EXPECT_EQ(rows[1].width, 14);
  EXPECT_EQ(rows[1].height, 10);
}

}  // namespace
}  // namespace sinforge
