// Reading content images out of tar streams on a pool: loads handed out in order over interleaved tars get
// each member's bytes, and a tar that breaks off fails its later items naming them while other tars go on.
#include "sinforge/image/tar_source.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "sinforge/core/error.h"
#include "sinforge/core/ordered_loader.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/output/tar_file.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

using testing::write_tar;

TEST(TarSource, InterleavedTarsReadOnAPoolGiveEachMembersBytes) {
  testing::TempDir tmp;
  std::vector<fs::path> tars;
  std::vector<TarContentSource::Item> items;
  std::vector<std::string> expected;
  for (int t = 0; t < 3; ++t) {
    std::vector<std::pair<std::string, std::string>> members;
    for (int m = 0; m < 20; ++m) {
      const std::string key = "t" + std::to_string(t) + "_" + std::to_string(m);
      members.push_back({key + ".jpg", std::string(100 + 37 * m, static_cast<char>('a' + t)) + key});
      members.push_back({key + ".cls", "0"});
    }
    tars.push_back(tmp / ("s" + std::to_string(t) + ".tar"));
    write_tar(tars.back(), members);
  }
  // Every other member of each tar, the tars interleaved as run.cpp orders them.
  for (int m = 0; m < 20; m += 2) {
    for (size_t t = 0; t < 3; ++t) {
      const std::string key = "t" + std::to_string(t) + "_" + std::to_string(m);
      items.push_back({t, key + ".jpg"});
      expected.push_back(std::string(100 + 37 * m, static_cast<char>('a' + t)) + key);
    }
  }
  TarContentSource source(tars, items);
  ThreadPool pool(4);
  OrderedLoader<std::string> loader(pool, items.size(), 8, [&](size_t i) { return source.read(i); });
  std::vector<std::string> got;
  std::string data;
  while (loader.next(data)) got.push_back(data);
  EXPECT_EQ(got, expected);
}

TEST(TarSource, ATarThatBreaksOffFailsItsLaterItemsOnly) {
  testing::TempDir tmp;
  const std::string big(20000, 'q');
  write_tar(tmp / "cut.tar", {{"a.jpg", "A"}, {"b.jpg", big}, {"c.jpg", "C"}});
  write_tar(tmp / "whole.tar", {{"x.jpg", "X"}, {"y.jpg", "Y"}});
  const std::string bytes = testing::read_bytes(tmp / "cut.tar");
  testing::write_bytes(tmp / "cut.tar", bytes.substr(0, bytes.find(big) + 1000));  // inside b's data
  TarContentSource source({tmp / "cut.tar", tmp / "whole.tar"},
                          {{0, "a.jpg"}, {1, "x.jpg"}, {0, "b.jpg"}, {1, "y.jpg"}, {0, "c.jpg"}});
  EXPECT_EQ(source.read(0), "A");
  EXPECT_EQ(source.read(1), "X");
  const std::string b = testing::error_of<DecodeError>([&] { source.read(2); });
  EXPECT_NE(b.find((tmp / "cut.tar").string() + ":b.jpg: the tar breaks off"), std::string::npos) << b;
  EXPECT_EQ(source.read(3), "Y");
  const std::string c = testing::error_of<DecodeError>([&] { source.read(4); });
  EXPECT_NE(c.find((tmp / "cut.tar").string() + ":c.jpg"), std::string::npos) << c;
}

}  // namespace
}  // namespace sinforge
