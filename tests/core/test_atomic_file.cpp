// Atomic files: a write replaces the target whole or not at all, leaves no temporary, names the path on
// failure; the temporaries' name format is recognised, and only it.
#include "sinforge/core/atomic_file.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::write_bytes;

TEST(AtomicFile, AtomicWriteReplacesAndLeavesNoTemporaries) {
  TempDir tmp;
  const fs::path target = tmp / "a" / "b" / "out.png";
  const std::vector<uint8_t> first = {1, 2, 3};
  const std::vector<uint8_t> second(10000, 7);
  write_file_atomic(target, first);
  EXPECT_EQ(testing::read_byte_vector(target), first);
  write_file_atomic(target, second);
  EXPECT_EQ(testing::read_byte_vector(target), second);
  int entries = 0;
  for (const auto& e : fs::directory_iterator(target.parent_path())) {
    ++entries;
    EXPECT_EQ(e.path().filename(), "out.png");
  }
  EXPECT_EQ(entries, 1);
}

TEST(AtomicFile, AtomicWriteFailureNamesThePathAndCleansUp) {
  TempDir tmp;
  // The target is an existing non-empty folder: rename fails after the temporary was written.
  const fs::path target = tmp / "taken";
  fs::create_directories(target / "inside");
  const std::string m = testing::error_of<std::runtime_error>([&] {
    write_file_atomic(target, std::vector<uint8_t>{1, 2});
  });
  EXPECT_NE(m.find(target.string()), std::string::npos) << "no error naming the target: " << m;
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp.path())) ++entries;
  EXPECT_EQ(entries, 1);  // only "taken"

  // A parent that is a file: the folder cannot be made.
  write_bytes(tmp / "file", std::vector<uint8_t>{0});
  EXPECT_THROW(write_file_atomic(tmp / "file" / "x.png", std::vector<uint8_t>{1}), std::runtime_error);
}

// The two halves: nothing under the target's name until commit, the temporary gone whatever happens.
TEST(AtomicFile, APendingFileAppearsOnlyOnCommitAndLeavesNoTemporaryOtherwise) {
  TempDir tmp;
  const std::vector<uint8_t> bytes(5000, 3);
  const auto names_in = [](const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
  };
  {
    PendingFile pending = write_file_pending(tmp / "d" / "a.png", bytes);
    ASSERT_EQ(names_in(tmp / "d").size(), 1u);
    EXPECT_TRUE(is_atomic_temporary(*names_in(tmp / "d").begin())) << "only the temporary before commit";
    PendingFile moved = std::move(pending);  // handed to another thread as output_writer does
    moved.commit();
    EXPECT_THROW(moved.commit(), std::logic_error);
  }
  EXPECT_EQ(names_in(tmp / "d"), std::set<std::string>{"a.png"});
  EXPECT_EQ(testing::read_byte_vector(tmp / "d" / "a.png"), bytes);

  {
    const PendingFile abandoned = write_file_pending(tmp / "d" / "b.png", bytes);
  }  // a failed stage after it
  EXPECT_EQ(names_in(tmp / "d"), std::set<std::string>{"a.png"}) << "an uncommitted temporary is removed";

  fs::create_directories(tmp / "d" / "taken" / "inside");  // rename over a non-empty folder fails
  PendingFile doomed = write_file_pending(tmp / "d" / "taken", bytes);
  const std::string error = testing::error_of<std::runtime_error>([&] { doomed.commit(); });
  EXPECT_NE(error.find("rename failed"), std::string::npos) << error;
  EXPECT_EQ(names_in(tmp / "d"), (std::set<std::string>{"a.png", "taken"}));
}

TEST(AtomicFile, RecognisesItsTemporaries) {
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

// Shared files name their writer in the temporary, so that only its next run removes a leftover.
TEST(AtomicFile, AnOwnerIsPartOfTheTemporarysName) {
  const std::string name = atomic_temporary_name("sinforge.settings.json", "shard-1-of-3");
  EXPECT_TRUE(name.starts_with(".sinforge.settings.json.tmp-shard-1-of-3-")) << name;
  std::string target, owner = "?";
  ASSERT_TRUE(is_atomic_temporary(name, &target, &owner)) << name;
  EXPECT_EQ(target, "sinforge.settings.json");
  EXPECT_EQ(owner, "shard-1-of-3");
  ASSERT_TRUE(is_atomic_temporary(".a.jpg.tmp-123-0", &target, &owner));
  EXPECT_EQ(owner, "");
  EXPECT_FALSE(is_atomic_temporary(".a.jpg.tmp-bad owner-1-2"));
  EXPECT_THROW(atomic_temporary_name("a", "no/slash"), std::invalid_argument);
  TempDir tmp;
  write_file_atomic(tmp / "f", std::vector<uint8_t>{1}, "shard-0-of-1");
  EXPECT_EQ(testing::read_bytes(tmp / "f"), std::string(1, '\1'));
}

TEST(AtomicFile, TemporaryNamesAreUniqueAndRecognised) {
  std::set<std::string> names;
  for (int i = 0; i < 100; ++i) {
    const std::string name = atomic_temporary_name("a.jpg");
    std::string target;
    EXPECT_TRUE(is_atomic_temporary(name, &target)) << name;
    EXPECT_EQ(target, "a.jpg");
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 100u);
}

}  // namespace
}  // namespace sinforge
