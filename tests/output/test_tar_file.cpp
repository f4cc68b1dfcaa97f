// Tars through libarchive: written under a temporary name and visible under the final one only once
// committed, read back (here and by Python's tarfile), long names through pax headers, the DALI index as
// wds2idx writes it, and a truncated tar refused.
#include "sinforge/output/tar_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "sinforge/core/atomic_file.h"
#include "sinforge/output/webdataset.h"
#include "support/fixtures.h"
#include "support/test_util.h"

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

TEST(TarFile, ATarAppearsUnderItsFinalNameOnlyOnceCommittedAndReadsBack) {
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
  const auto r = testing::run_shell(quote(testing::python()) +
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

TEST(TarFile, TheDaliIndexGroupsConsecutiveMembersOfAKeyAsWds2idxDoes) {
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

TEST(TarFile, ATruncatedTarFailsToRead) {
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
