// Resume, piece by piece: recognising write_file_atomic's temporaries, removing only this shard's, replaying
// the journal, and the settings record's comparison.
#include <gtest/gtest.h>

#include <fstream>

#include "sinforge/error.h"
#include "sinforge/image_io.h"
#include "sinforge/resume.h"
#include "sinforge/run_settings.h"
#include "test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(Resume, RecognisesAtomicTemporaries) {
  std::string target;
  EXPECT_TRUE(is_atomic_temporary(".a.jpg.tmp-123-0", &target));
  EXPECT_EQ(target, "a.jpg");
  EXPECT_TRUE(is_atomic_temporary("..hidden.png.tmp-9-17", &target));
  EXPECT_EQ(target, ".hidden.png");
  for (const char* name : {"a.jpg", ".a.jpg", ".a.jpg.tmp-", ".a.jpg.tmp-12", ".a.jpg.tmp-x-1", "a.tmp-1-2",
                           ".a.jpg.tmp-1-2x"}) {
    EXPECT_FALSE(is_atomic_temporary(name)) << name;
  }
}

TEST(Resume, RemovesOnlyThisShardsTemporaries) {
  TempDir tmp;
  fs::create_directories(tmp / "d");
  for (const char* name :
       {"d/.mine.jpg.tmp-1-0", "d/.other.jpg.tmp-2-5", "d/mine.jpg.keep", ".top.jpg.tmp-3-1"}) {
    std::ofstream(tmp / name) << "x";
  }
  const std::vector<PlannedContent> planned = {{"d/mine.jpg", {0}, {"d/mine.jpg"}},
                                               {"top.jpg", {0}, {"top.jpg"}}};
  EXPECT_EQ(remove_stale_temporaries(tmp.path(), planned), 2u);
  EXPECT_FALSE(fs::exists(tmp / "d/.mine.jpg.tmp-1-0"));
  EXPECT_FALSE(fs::exists(tmp / ".top.jpg.tmp-3-1"));
  EXPECT_TRUE(fs::exists(tmp / "d/.other.jpg.tmp-2-5")) << "another shard's write in flight must survive";
  EXPECT_TRUE(fs::exists(tmp / "d/mine.jpg.keep"));
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
  const std::vector<PlannedContent> planned = {{"a.png", {0}, {"a.png"}},
                                               {"b.png", {1}, {"b.png"}},
                                               {"bad.png", {0}, {"bad.png"}},
                                               {"c.png", {0, 1}, {"c-1.png", "c-2.png"}},
                                               {"d.png", {0}, {"d.png"}}};
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

TEST(RunSettings, DifferencesAreNamedAndRefusedUnlessOverwrite) {
  TempDir tmp;
  RunOptions o;
  const auto now = output_settings(o, "aa", "bb", {"p.jpg"});
  check_settings(tmp.path(), now, false);  // nothing recorded yet
  write_settings(tmp.path(), now);
  check_settings(tmp.path(), now, false);
  RunOptions changed = o;
  changed.alpha = 0.5f;
  changed.threads = 7;  // does not change outputs
  changed.batch_size = 1;
  changed.device = "cpu";
  const auto other = output_settings(changed, "aa", "bb", {"p.jpg"});
  EXPECT_EQ(describe_differences(now, other), "alpha (recorded 1.0, now 0.5)");
  try {
    check_settings(tmp.path(), other, false);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("alpha"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos) << e.what();
  }
  check_settings(tmp.path(), other, true);
  EXPECT_NE(describe_differences(now, output_settings(o, "aa", "bb", {"q.jpg"})).find("paintings"),
            std::string::npos);
  EXPECT_NE(describe_differences(now, output_settings(o, "zz", "bb", {"p.jpg"})).find("vgg_sha256"),
            std::string::npos);
}

}  // namespace
}  // namespace sinforge
