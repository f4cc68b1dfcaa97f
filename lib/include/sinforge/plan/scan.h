// Finding images in a folder tree: the first step of scan -> plan -> decode -> model -> encode -> record.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sinforge {

// "jpg,JPEG,.png" -> {"jpg", "jpeg", "png"}: lower case, no dots, no duplicates. Throws UsageError when
// empty.
std::vector<std::string> parse_extensions(const std::string& list);

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

}  // namespace sinforge
