#include "sinforge/shape_bias/cue_conflict.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/shape_bias/human_categories.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

bool has_png_extension(std::string_view name) {
  if (name.size() < 4) return false;
  std::string tail(name.substr(name.size() - 4));
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
  return tail == ".png";
}

// "elephant10" -> the index of elephant; -1 unless letters then at least one digit, the letters a class.
int parse_class_and_number(std::string_view part) {
  const size_t digits = part.find_first_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return -1;
  if (part.find_first_not_of("0123456789", digits) != std::string_view::npos) return -1;
  return human_category_index(part.substr(0, digits));
}

// The regular files directly in folder, sorted by name: the order is the same on every filesystem.
std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    } else {
      log::warn(str_cat("shape-bias: ignoring ", entry.path().string(), " (not a file)"));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void warn_about_other_folders(const fs::path& dir) {
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || human_category_index(name) < 0)
      log::warn(
          str_cat("shape-bias: ignoring ", entry.path().string(), " (not one of the 16 class folders)"));
  }
}

void scan_class_folder(const fs::path& folder, int shape_class, CueConflictStimuli& stimuli) {
  for (const fs::path& file : files_in(folder)) {
    const std::string name = file.filename().string();
    if (!has_png_extension(name)) {
      log::warn(str_cat("shape-bias: ignoring ", file.string(), " (not a .png)"));
      stimuli.not_images.push_back(file);
      continue;
    }
    const std::optional<CueConflictName> parsed = parse_cue_conflict_name(name);
    if (!parsed) {
      throw UsageError(
          "--stimuli: " + file.string() +
          ": malformed name, expected <shape><i>-<texture><j>.png with both among the 16 classes");
    }
    if (parsed->shape != shape_class) {
      throw UsageError("--stimuli: " + file.string() + ": its shape class is not its folder's, " +
                       folder.filename().string());
    }
    if (parsed->texture == parsed->shape) {
      ++stimuli.same_class;
      continue;
    }
    stimuli.images.push_back({file, parsed->shape, parsed->texture});
  }
}

}  // namespace

std::optional<CueConflictName> parse_cue_conflict_name(std::string_view file_name) {
  if (!has_png_extension(file_name)) return std::nullopt;
  const std::string_view stem = file_name.substr(0, file_name.size() - 4);
  const size_t dash = stem.find('-');
  if (dash == std::string_view::npos || stem.find('-', dash + 1) != std::string_view::npos)
    return std::nullopt;
  const int shape = parse_class_and_number(stem.substr(0, dash));
  const int texture = parse_class_and_number(stem.substr(dash + 1));
  if (shape < 0 || texture < 0) return std::nullopt;
  return CueConflictName{shape, texture};
}

CueConflictStimuli scan_cue_conflict(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw UsageError("--stimuli: " + dir.string() + " is not a folder");
  const auto& categories = human_categories();
  for (const HumanCategory& category : categories) {
    if (!fs::is_directory(dir / category.name)) {
      throw UsageError(
          "--stimuli: the class folder " + (dir / category.name).string() +
          " is missing (expected one folder per class: the cue-conflict stimuli of model-vs-human)");
    }
  }
  warn_about_other_folders(dir);
  CueConflictStimuli stimuli;
  stimuli.dir = dir;
  for (size_t c = 0; c < categories.size(); ++c)
    scan_class_folder(dir / categories[c].name, static_cast<int>(c), stimuli);
  return stimuli;
}

}  // namespace sinforge
