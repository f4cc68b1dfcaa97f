// --content tar shards, the scan: which tars a pattern, folder or list names (and refusing missing ones),
// WebDataset's key rule, classes from .cls (named by --classes) or the key's folder, and a tar that breaks
// off keeping the samples read before the break while reporting the rest.
#include "sinforge/plan/tar_scan.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "sinforge/core/error.h"
#include "sinforge/output/tar_file.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

using testing::write_tar;

std::vector<std::string> relatives(const TarScan& scan) {
  std::vector<std::string> out;
  for (const TarSample& s : scan.samples) out.push_back(s.relative.generic_string());
  return out;
}

class TarScanTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;
  ThreadPool pool_{2};
};

TEST_F(TarScanTest, PatternsFoldersAndListsNameTheTars) {
  fs::create_directories(tmp_ / "shards");
  for (const char* n : {"train-000.tar", "train-001.tar", "train-002.tar"})
    write_tar(tmp_ / "shards" / n, {});
  const std::string pattern = (tmp_ / "shards" / "train-{000..002}.tar").string();
  ASSERT_TRUE(names_tar_shards(pattern));
  const std::vector<fs::path> all = {tmp_ / "shards" / "train-000.tar", tmp_ / "shards" / "train-001.tar",
                                     tmp_ / "shards" / "train-002.tar"};
  EXPECT_EQ(expand_tar_spec(pattern), all);
  EXPECT_EQ(expand_tar_spec((tmp_ / "shards").string()), all) << "a folder's top-level tars, sorted";
  EXPECT_EQ(expand_tar_spec((tmp_ / "shards" / "train-{002,000}.tar").string()),
            (std::vector<fs::path>{all[2], all[0]}));
  testing::write_bytes(tmp_ / "shards.txt",
                       "# the first two\nshards/train-000.tar\n\n  shards/train-001.tar  \n");
  EXPECT_EQ(expand_tar_spec((tmp_ / "shards.txt").string()), (std::vector<fs::path>{all[0], all[1]}));
  EXPECT_EQ(expand_tar_spec(all[1].string()), (std::vector<fs::path>{all[1]}));

  const std::string missing = testing::error_of<UsageError>(
      [&] { expand_tar_spec((tmp_ / "shards" / "train-{000..004}.tar").string()); });
  EXPECT_NE(
      missing.find("2 of 5 tars do not exist (the first: " + (tmp_ / "shards" / "train-003.tar").string()),
      std::string::npos)
      << missing;
  EXPECT_NE(testing::error_of<UsageError>([&] {
              expand_tar_spec((tmp_ / "t-{3..1}.tar").string());
            }).find("runs backwards"),
            std::string::npos);
}

TEST_F(TarScanTest, AFolderTreeOfImagesIsNoTarSpecAndAMixedFolderIsRefused) {
  fs::create_directories(tmp_ / "tree" / "cls");
  testing::write_bytes(tmp_ / "tree" / "cls" / "a.jpg", "x");
  EXPECT_FALSE(names_tar_shards((tmp_ / "tree").string()));
  write_tar(tmp_ / "tree" / "stray.tar", {});
  EXPECT_NE(testing::error_of<UsageError>([&] {
              names_tar_shards((tmp_ / "tree").string());
            }).find("holds both .tar files and sub-folders"),
            std::string::npos);
}

TEST_F(TarScanTest, AnImageFileIsRefusedAsAListOfTarsNamingTheFile) {
  const fs::path photo = tmp_ / "photo.jpg";
  fs::copy_file(testing::samples_dir() / "content" / "astronaut.jpg", photo);
  ASSERT_TRUE(names_tar_shards(photo.string())) << "a file: a tar or a list of tars";
  const std::string error = testing::error_of<UsageError>([&] { expand_tar_spec(photo.string()); });
  EXPECT_NE(error.find("--content " + photo.string() + " must be a folder, a tar, a brace pattern of tars " +
                       "or a text file listing tars"),
            std::string::npos)
      << error;
}

TEST_F(TarScanTest, SamplesFollowWebDatasetsKeyRuleAndTheirClass) {
  const fs::path a = tmp_ / "a.tar", b = tmp_ / "b.tar";
  write_tar(a, {{"k1.jpg", "J1"},
                {"k1.cls", "1\n"},
                {"k1.json", "{}"},  // class 1
                {"sub/k2.JPEG", "J2"},
                {"sub/k2.cls", "0"},  // the key keeps its folder
                {"k3.seg.png", "S"},
                {"k3.json", "{}"},       // extension seg.png: no image
                {"n01/k4.png", "P4"}});  // class from the key's folder
  write_tar(b, {{"k5.jpg", "J5"},
                {"k5.cls", "7"},
                {"k6.jpg", "J6"},
                {"k6.cls", "x"},
                {"k1.jpg", "again"},
                {"k1.cls", "1"}});
  const TarScan named =
      scan_tars({a, b}, {"jpg", "jpeg", "png"}, std::vector<std::string>{"n00", "n99"}, pool_);
  EXPECT_EQ(relatives(named), (std::vector<std::string>{"n00/sub/k2.JPEG", "n01/k4.png", "n99/k1.jpg"}));
  ASSERT_EQ(named.problems.size(), 3u);
  EXPECT_EQ(named.problems[0].where, b.string() + ":k5.jpg");
  EXPECT_NE(named.problems[0].reason.find("class 7 is not in --classes (2 names)"), std::string::npos);
  EXPECT_EQ(named.problems[1].where, b.string() + ":k6.jpg");
  EXPECT_NE(named.problems[1].reason.find("not a class number: 'x'"), std::string::npos);
  EXPECT_EQ(named.problems[2].where, b.string() + ":k1.jpg");
  EXPECT_NE(named.problems[2].reason.find("the same sample (n99/k1.jpg) as " + a.string() + ":k1.jpg"),
            std::string::npos)
      << named.problems[2].reason;

  const TarScan numbered = scan_tars({a}, {"jpg", "jpeg", "png"}, std::nullopt, pool_);
  EXPECT_EQ(relatives(numbered), (std::vector<std::string>{"0/sub/k2.JPEG", "1/k1.jpg", "n01/k4.png"}));
  // The decode order: each image's place among its tar's images.
  for (const TarSample& s : numbered.samples) {
    const size_t expected = s.member == "k1.jpg" ? 0 : s.member == "sub/k2.JPEG" ? 1 : 2;
    EXPECT_EQ(s.ordinal, expected) << s.member;
  }
}

TEST_F(TarScanTest, ATruncatedTarKeepsItsGoodSamplesAndReportsTheRest) {
  const fs::path tar = tmp_ / "cut.tar";
  const std::string big(5000, 'z');
  write_tar(tar, {{"a.jpg", "A"},
                  {"a.cls", "0"},
                  {"b.jpg", "B"},
                  {"b.cls", "0"},
                  {"c.jpg", big},
                  {"c.cls", "0"},
                  {"d.jpg", "D"}});
  // Cut inside c.cls's header: a, b and c's image are whole, c is cut off from its class, d is lost.
  const std::string bytes = testing::read_bytes(tar);
  const size_t c_cls = bytes.find("c.cls");
  ASSERT_NE(c_cls, std::string::npos);
  testing::write_bytes(tar, bytes.substr(0, c_cls + 100));
  const TarScan scan = scan_tars({tar}, {"jpg"}, std::nullopt, pool_);
  EXPECT_EQ(relatives(scan), (std::vector<std::string>{"0/a.jpg", "0/b.jpg"}));
  ASSERT_EQ(scan.problems.size(), 2u);
  EXPECT_EQ(scan.problems[0].where, tar.string() + ":c.jpg");
  EXPECT_EQ(scan.problems[1].where, tar.string());
  EXPECT_NE(scan.problems[1].reason.find("the rest of the tar is unread"), std::string::npos);
}

TEST_F(TarScanTest, ClassNamesAreChecked) {
  testing::write_bytes(tmp_ / "classes.txt", "n01440764\r\nn01443537\n");
  EXPECT_EQ(read_class_names(tmp_ / "classes.txt"), (std::vector<std::string>{"n01440764", "n01443537"}));
  testing::write_bytes(tmp_ / "bad.txt", "a\n\nb\n");
  EXPECT_NE(testing::error_of<UsageError>([&] {
              read_class_names(tmp_ / "bad.txt");
            }).find("line 2: '' cannot name a class folder"),
            std::string::npos);
  testing::write_bytes(tmp_ / "slash.txt", "a/b\n");
  EXPECT_THROW(read_class_names(tmp_ / "slash.txt"), UsageError);
}

}  // namespace
}  // namespace sinforge
