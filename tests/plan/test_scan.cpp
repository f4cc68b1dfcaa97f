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
