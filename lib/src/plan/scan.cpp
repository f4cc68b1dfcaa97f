#include "sinforge/plan/scan.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/image/image_io.h"

namespace sinforge {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return s;
}

using FileId = std::pair<dev_t, ino_t>;

struct Found {
  std::string relative;  // generic form, '/' separated: the sort key
  FileId id;
};

class Walker {
 public:
  explicit Walker(const std::vector<std::string>& extensions) : extensions_(extensions) {}

  void walk(const std::filesystem::path& dir, const std::filesystem::path& relative) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return;
    // A folder that is its own ancestor is a symlink cycle: stop there. Other folders reached twice are
    // walked twice, and their files deduplicated after sorting, so the result does not depend on traversal
    // order.
    const FileId id{st.st_dev, st.st_ino};
    if (std::find(ancestors_.begin(), ancestors_.end(), id) != ancestors_.end()) return;
    ancestors_.push_back(id);
    walk_entries(dir, relative);
    ancestors_.pop_back();
  }

  void walk_entries(const std::filesystem::path& dir, const std::filesystem::path& relative) {
    struct stat st {};
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
      log::warn(str_cat("cannot read folder ", dir.string(), ": ", ec.message(), " (skipped)"));
      return;
    }
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
      const auto& entry = *it;
      const std::filesystem::path child_rel = relative / entry.path().filename();
      if (::stat(entry.path().c_str(), &st) != 0) continue;  // a dangling symlink
      if (S_ISDIR(st.st_mode)) {
        walk(entry.path(), child_rel);
      } else if (S_ISREG(st.st_mode) && matches(entry.path())) {
        found_.push_back({child_rel.generic_string(), {st.st_dev, st.st_ino}});
      } else if (matches(entry.path())) {
        special_.push_back({child_rel.generic_string(), special_file_reason(st.st_mode)});
      }
    }
    if (ec) log::warn(str_cat("error while reading folder ", dir.string(), ": ", ec.message()));
  }

  std::vector<SpecialFile> special() {
    std::sort(special_.begin(), special_.end(),
              [](const SpecialFile& a, const SpecialFile& b) { return a.relative < b.relative; });
    special_.erase(
        std::unique(special_.begin(), special_.end(),
                    [](const SpecialFile& a, const SpecialFile& b) { return a.relative == b.relative; }),
        special_.end());
    return special_;
  }

  std::vector<std::filesystem::path> result() {
    std::sort(found_.begin(), found_.end(),
              [](const Found& a, const Found& b) { return a.relative < b.relative; });
    std::set<FileId> seen;
    std::vector<std::filesystem::path> out;
    for (const Found& f : found_) {
      if (seen.insert(f.id).second) out.emplace_back(f.relative);
    }
    return out;
  }

 private:
  bool matches(const std::filesystem::path& p) const {
    std::string ext = p.extension().string();
    if (ext.size() < 2) return false;
    ext = lower(ext.substr(1));
    return std::find(extensions_.begin(), extensions_.end(), ext) != extensions_.end();
  }

  std::vector<std::string> extensions_;
  std::vector<FileId> ancestors_;
  std::vector<Found> found_;
  std::vector<SpecialFile> special_;
};

}  // namespace

std::vector<std::string> parse_extensions(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    std::string item = list.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(" ."));
    item.erase(item.find_last_not_of(' ') + 1);
    item = lower(item);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    start = comma + 1;
  }
  if (out.empty()) throw UsageError("--extensions names no extension: '" + list + "'");
  return out;
}

std::vector<std::filesystem::path> scan_images(const std::filesystem::path& root,
                                               const std::vector<std::string>& extensions) {
  return scan_tree(root, extensions).images;
}

ScanResult scan_tree(const std::filesystem::path& root, const std::vector<std::string>& extensions) {
  Walker walker(extensions);
  walker.walk(root, {});
  return {walker.result(), walker.special()};
}

}  // namespace sinforge
