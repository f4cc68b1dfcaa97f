// The webdataset layout's pieces on their own: keys, sizes, class numbers, tar names, and tars written
// through libarchive read back (here and by Python's tarfile), with nothing under a final name unless
// committed.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "sinforge/error.h"
#include "sinforge/resume.h"
#include "sinforge/tar_file.h"
#include "sinforge/webdataset.h"
#include "test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::map<std::string, std::string> read_all(const fs::path& tar) {
  std::map<std::string, std::string> members;
  read_tar(
      tar, [](const std::string&) { return true; },
      [&](const std::string& name, const std::string& data) { members[name] = data; });
  return members;
}

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
  EXPECT_TRUE(is_prefix_tar("sin-224-0-000000.tar", "sin-224"));
  TempDir tmp;
  for (const char* name : {"p-0-000000.tar", "p-0-000007.tar", "p-1-000009.tar", ".p-0-000008.tar.tmp-1-0"}) {
    std::ofstream(tmp / name) << "x";
  }
  EXPECT_EQ(series_tars(tmp.path(), "p", 0).size(), 2u);
  EXPECT_EQ(next_tar_number(tmp.path(), "p", 0), 8u);
  EXPECT_EQ(next_tar_number(tmp.path(), "p", 1), 10u);
  EXPECT_EQ(next_tar_number(tmp.path(), "p", 2), 0u);
}

TEST(WebDataset, ATarAppearsUnderItsFinalNameOnlyOnceCommittedAndReadsBack) {
  if (!webdataset_available()) GTEST_SKIP() << "built without libarchive";
  TempDir tmp;
  const fs::path final_path = tmp / "p-0-000000.tar";
  const std::string long_key(150, 'k');  // needs a pax header: still readable
  std::vector<TarMember> written;
  {
    TarWriter tar(final_path);
    tar.add("a.jpg", bytes_of("JPEG bytes"));
    tar.add("a.cls", bytes_of("3"));
    tar.add(long_key + ".json", bytes_of("{}"));
    EXPECT_FALSE(fs::exists(final_path));
    EXPECT_GE(tar.size(), 3u * 1024u);
    tar.commit();
    written = tar.members();
  }
  // The recorded data offsets point at each member's bytes (what DALI's index needs).
  std::ifstream in(final_path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ASSERT_EQ(written.size(), 3u);
  EXPECT_EQ(bytes.substr(written[0].data_offset, written[0].size), "JPEG bytes");
  EXPECT_EQ(bytes.substr(written[1].data_offset, written[1].size), "3");
  EXPECT_EQ(bytes.substr(written[2].data_offset, written[2].size), "{}");
  ASSERT_TRUE(fs::exists(final_path));
  const auto members = read_all(final_path);
  EXPECT_EQ(members.size(), 3u);
  EXPECT_EQ(members.at("a.jpg"), "JPEG bytes");
  EXPECT_EQ(members.at("a.cls"), "3");
  EXPECT_EQ(members.at(long_key + ".json"), "{}");
  // Python's tarfile reads it too.
  const auto r = testing::run_command(quote(testing::python()) +
                                      " -c \"import sys, tarfile; t = tarfile.open(sys.argv[1]); "
                                      "print(','.join(m.name[:5] for m in t))\" " +
                                      quote(final_path));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "a.jpg,a.cls,kkkkk\n");
  // Destroyed uncommitted: nothing left, not even the temporary.
  {
    TarWriter tar(tmp / "p-0-000001.tar");
    tar.add("b.jpg", bytes_of("x"));
  }
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(tmp.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(WebDataset, TheDaliIndexGroupsConsecutiveMembersOfAKeyAsWds2idxDoes) {
  const std::vector<TarMember> members = {{"a.jpg", 512, 10},
                                          {"a.cls", 1536, 1},
                                          {"a.json", 2560, 2},
                                          {"b_sx.png", 3584, 700},
                                          {"b_sx.cls", 4608, 1}};
  EXPECT_EQ(dali_index(members),
            "v1.2 2\n"
            "jpg 512 10 a.jpg cls 1536 1 a.cls json 2560 2 a.json\n"
            "png 3584 700 b_sx.png cls 4608 1 b_sx.cls\n");
  EXPECT_EQ(dali_index_path("/o/sin-2-000004.tar"), fs::path("/o/sin-2-000004.idx"));
}

TEST(WebDataset, ATruncatedTarFailsToRead) {
  if (!webdataset_available()) GTEST_SKIP() << "built without libarchive";
  TempDir tmp;
  const fs::path file = tmp / "p-0-000000.tar";
  {
    TarWriter tar(file);
    tar.add("a.jpg", bytes_of(std::string(5000, 'x')));
    tar.commit();
  }
  fs::resize_file(file, 2048);
  EXPECT_THROW(read_all(file), std::runtime_error);
}

}  // namespace
}  // namespace sinforge
