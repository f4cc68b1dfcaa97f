// The webdataset layout's naming on its own: keys, sizes, class numbers, tar names (tars themselves:
// test_tar_file.cpp; the layout end to end: cli/test_webdataset_cli.cpp).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "sinforge/core/error.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/records/resume.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

TEST(WebDataset, KeysHoldNoDotOrSlashAndStayUniqueForPathsThatLookAlike) {
  EXPECT_EQ(sample_key("class0/astronaut-stylized-hubble.jpg"), "class0_sastronaut-stylized-hubble");
  // Paths that a naive replacement would merge: '.', '/', '_' and other bytes are escaped distinctly.
  const std::vector<fs::path> tricky = {"a/b_c.jpg", "a_b/c.jpg", "a/b.c.jpg",  "a/b/c.jpg",  "a_sb_c.jpg",
                                        "a/b c.jpg", "a/b+c.jpg", "a/b__c.jpg", "a/b_dc.jpg", "a/b.png.jpg"};
  std::set<std::string> keys;
  for (const fs::path& p : tricky) {
    const std::string key = sample_key(p);
    EXPECT_EQ(key.find('.'), std::string::npos) << key;
    EXPECT_EQ(key.find('/'), std::string::npos) << key;
    EXPECT_TRUE(keys.insert(key).second) << p << " collides: " << key;
  }
}

TEST(WebDataset, TarSamplesKeepTheirInputKeyFollowedByTheNamesEscapedRest) {
  PlannedContent one{"0/n01_10026.JPEG", {0}, {"0/n01_10026.JPEG"}, "a.tar:n01_10026.JPEG", "n01_10026"};
  EXPECT_EQ(output_key(one, 0), "n01_10026") << "one style: the input's key alone";
  PlannedContent several{"cls/d/x.jpg",
                         {0, 1},
                         {"cls/d/x-stylized-a_b.jpg", "cls/d/x.jpg-stylized-c.d-2.jpg"},
                         "a.tar:d/x.jpg",
                         "d/x"};
  EXPECT_EQ(output_key(several, 0), "d/x-stylized-a__b") << "the key kept, '/' and all; the rest escaped";
  EXPECT_EQ(output_key(several, 1), "d/x_djpg-stylized-c_dd-2");
  PlannedContent file{"cls/x.jpg", {0}, {"cls/x.jpg"}, "", ""};
  EXPECT_EQ(output_key(file, 0), sample_key("cls/x.jpg")) << "a file: the planned path's key";

  // A key that another key plus a style's suffix spells is refused, naming both.
  PlannedContent a{"0/x.jpg", {0, 1}, {"0/x-stylized-p.jpg", "0/x-stylized-q.jpg"}, "t.tar:x.jpg", "x"};
  EXPECT_NO_THROW(check_unique_keys({a, several}));
  const std::string error = testing::error_of<UsageError>([&] {
    check_unique_keys({a, {"1/y.jpg", {0}, {"1/y.jpg"}, "t.tar:y.jpg", "x-stylized-p"}});
  });
  EXPECT_NE(error.find("t.tar:x.jpg and t.tar:y.jpg would both write the key 'x-stylized-p'"),
            std::string::npos)
      << error;
}

TEST(WebDataset, TarSizesParseDecimalAndBinaryUnits) {
  EXPECT_EQ(parse_byte_size("1G"), 1000000000u);
  EXPECT_EQ(parse_byte_size("1GB"), 1000000000u);
  EXPECT_EQ(parse_byte_size("500M"), 500000000u);
  EXPECT_EQ(parse_byte_size("64k"), 64000u);
  EXPECT_EQ(parse_byte_size("1GiB"), uint64_t{1} << 30);
  EXPECT_EQ(parse_byte_size("4096"), 4096u);
  for (const char* bad : {"", "0", "G", "1T", "-1", "1.5G", "12 M"}) {
    EXPECT_THROW(parse_byte_size(bad), UsageError) << bad;
  }
}

TEST(WebDataset, ClassesAreTheSortedTopLevelFoldersAsImageFolderNumbersThem) {
  const std::vector<fs::path> contents = {"n02/b.jpg", "n01/x/deep.jpg", "n10/a.jpg", "n01/a.jpg", "top.jpg"};
  const std::vector<std::string> names = class_names(contents);
  EXPECT_EQ(names, (std::vector<std::string>{"n01", "n02", "n10"}));
  EXPECT_EQ(class_index(names, "n01/x/deep.jpg"), 0u);
  EXPECT_EQ(class_index(names, "n10/a.jpg"), 2u);
  EXPECT_EQ(class_index(names, "top.jpg"), std::nullopt);
  TempDir tmp;
  write_classes(tmp.path(), names);
  EXPECT_EQ(read_classes(tmp.path()), names);
}

TEST(WebDataset, TarNamesBelongToOneShardSeries) {
  EXPECT_EQ(tar_file_name("sin-224", 3, 12), "sin-224-3-000012.tar");
  uint64_t number = 0;
  EXPECT_TRUE(is_series_tar("sin-224-3-000012.tar", "sin-224", 3, &number));
  EXPECT_EQ(number, 12u);
  EXPECT_FALSE(is_series_tar("sin-224-3-000012.tar", "sin-224", 1));
  EXPECT_FALSE(is_series_tar("sin-224-3-000012.tar", "sin", 3));
  EXPECT_FALSE(is_series_tar("sin-224-3-12.tar", "sin-224", 3));
  TempDir tmp;
  for (const char* name : {"p-0-000000.tar", "p-0-000007.tar", "p-1-000009.tar", ".p-0-000008.tar.tmp-1-0"}) {
    std::ofstream(tmp / name) << "x";
  }
  EXPECT_EQ(series_tars(tmp.path(), "p", 0).size(), 2u);
  EXPECT_EQ(next_tar_number(tmp.path(), "p", 0), 8u);
  EXPECT_EQ(next_tar_number(tmp.path(), "p", 1), 10u);
  EXPECT_EQ(next_tar_number(tmp.path(), "p", 2), 0u);
}

}  // namespace
}  // namespace sinforge
