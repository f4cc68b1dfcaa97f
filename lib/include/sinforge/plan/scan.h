// Finding images in a folder tree: the first step of scan -> plan -> decode -> model -> encode -> record.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sinforge {

// "jpg,JPEG,.png" -> {"jpg", "jpeg", "png"}: lower case, no dots, no duplicates. Throws UsageError when
// empty.
std::vector<std::string> parse_extensions(const std::string& list);

// What run, derive, styles and bench scan for when no --extensions is given: the one spelling of the list.
inline const std::vector<std::string>& default_extensions() {
  static const std::vector<std::string> extensions = {"jpg", "jpeg", "png"};
  return extensions;
}

// Image files below root whose extension matches (case-insensitively), as paths relative to root, sorted by
// their bytes: the order is the same on every filesystem. Symlinked folders are followed; a folder reached
// twice (a symlink cycle) is walked once, and a file reached twice is listed once, under its first path.
// A folder named like an image is a folder. Unreadable folders are skipped with a warning.
std::vector<std::filesystem::path> scan_images(const std::filesystem::path& root,
                                               const std::vector<std::string>& extensions);

// A name that matches the extensions but is no regular file: a FIFO, a socket, a device (also through a
// symlink, such as x.jpg -> /dev/zero). Never opened: a FIFO would block the reader for good, a device
// never ends.
struct SpecialFile {
  std::filesystem::path relative;
  std::string reason;  // image_io.h's special_file_reason: "not a regular file (a FIFO): not opened"
};

struct ScanResult {
  std::vector<std::filesystem::path> images;  // as scan_images
  std::vector<SpecialFile> special;           // sorted by path, each once; for the skipped record
};

// scan_images, and the special files it passed over.
ScanResult scan_tree(const std::filesystem::path& root, const std::vector<std::string>& extensions);

}  // namespace sinforge
