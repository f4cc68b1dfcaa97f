// Finding images in folder trees as real copies hold them.
#include <gtest/gtest.h>

#include <fstream>

#include "sinforge/core/error.h"
#include "sinforge/plan/scan.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}

std::vector<std::string> names(const std::vector<fs::path>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.generic_string());
  return out;
}

// A FIFO, a socket and a device (through a symlink) named like images are reported with their kind, never
// listed as images (opening a FIFO would block the run for good); other names are ignored as before.
TEST(Scan, SpecialFilesNamedLikeImagesAreReportedNotListed) {
  TempDir dir;
  touch(dir / "a.jpg");
  ASSERT_TRUE(testing::make_fifo(dir / "fifo.jpg"));
  ASSERT_TRUE(testing::make_unix_socket(dir / "sock.png"));
  fs::create_directories(dir / "sub");
  fs::create_symlink("/dev/zero", dir / "sub" / "zero.jpg");
  ASSERT_TRUE(testing::make_fifo(dir / "fifo.txt"));  // not an image's name: ignored
  const ScanResult scan = scan_tree(dir.path(), default_extensions());
  EXPECT_EQ(names(scan.images), (std::vector<std::string>{"a.jpg"}));
  ASSERT_EQ(scan.special.size(), 3u);
  EXPECT_EQ(scan.special[0].relative, "fifo.jpg");
  EXPECT_EQ(scan.special[0].reason, "not a regular file (a FIFO): not opened");
  EXPECT_EQ(scan.special[1].relative, "sock.png");
  EXPECT_NE(scan.special[1].reason.find("a socket"), std::string::npos);
  EXPECT_EQ(scan.special[2].relative, "sub/zero.jpg");
  EXPECT_NE(scan.special[2].reason.find("a character device"), std::string::npos);
}

TEST(Scan, FindsImagesRecursivelyInByteOrderCaseInsensitively) {
  TempDir dir;
  for (const char* f :
       {"b/2.JPG", "b/1.jpeg", "a.png", "B/x.Png", "c/d/e/deep.jpg", "notes.txt", "noext", "z.gif"}) {
    touch(dir / f);
  }
  EXPECT_EQ(names(scan_images(dir.path(), default_extensions())),
            (std::vector<std::string>{"B/x.Png", "a.png", "b/1.jpeg", "b/2.JPG", "c/d/e/deep.jpg"}));
}

TEST(Scan, AFolderNamedLikeAnImageIsAFolder) {
  TempDir dir;
  fs::create_directories(dir / "album.jpg");
  touch(dir / "album.jpg" / "inside.jpg");
  EXPECT_EQ(names(scan_images(dir.path(), default_extensions())),
            (std::vector<std::string>{"album.jpg/inside.jpg"}));
}

TEST(Scan, SymlinkCyclesEndAndFilesAreListedOnce) {
  TempDir dir;
  touch(dir / "real" / "a.jpg");
  fs::create_directory_symlink(dir / "real", dir / "link");         // a second path to the same folder
  fs::create_directory_symlink(dir.path(), dir / "real" / "loop");  // a cycle back to the root
  fs::create_symlink(dir / "missing.jpg", dir / "dangling.jpg");
  EXPECT_EQ(names(scan_images(dir.path(), default_extensions())), (std::vector<std::string>{"link/a.jpg"}));
}

TEST(Scan, NamesWithSpacesAndNonAscii) {
  TempDir dir;
  touch(dir / "über café" / "ñ 1.jpg");
  EXPECT_EQ(names(scan_images(dir.path(), default_extensions())),
            (std::vector<std::string>{"über café/ñ 1.jpg"}));
}

TEST(Scan, ParsesExtensionLists) {
  EXPECT_EQ(parse_extensions("JPG, .png,jpg"), (std::vector<std::string>{"jpg", "png"}));
  EXPECT_THROW(parse_extensions(" , ."), UsageError);
}

}  // namespace
}  // namespace sinforge
