#include "sinforge/plan/cue_conflict_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/plan/pairing.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// Each path's 1-based position in sorted order among the paths of its class.
std::map<std::string, size_t> positions_within_classes(const std::vector<fs::path>& paths) {
  std::map<std::string, std::vector<std::string>> by_class;
  for (const fs::path& p : paths) by_class[top_level_class(p)].push_back(p.generic_string());
  std::map<std::string, size_t> position;
  for (auto& [name, members] : by_class) {
    std::sort(members.begin(), members.end());
    for (size_t i = 0; i < members.size(); ++i) position[members[i]] = i + 1;
  }
  return position;
}

void check_class_folder(const fs::path& relative, const char* flag) {
  const std::string name = top_level_class(relative);
  if (name.empty()) {
    throw UsageError(str_cat("--cue-conflict: ", flag, " holds class folders, but ", relative.string(),
                             " lies at its top"));
  }
  if (name.find_first_of("0123456789-") != std::string::npos) {
    throw UsageError(str_cat("--cue-conflict: the class folder '", name, "' of ", flag,
                             " holds a digit or '-', so the stimulus names <class><i>-<class><j> could not ",
                             "be read back"));
  }
}

}  // namespace

std::string top_level_class(const fs::path& relative) {
  const auto first = relative.begin();
  if (first == relative.end() || std::next(first) == relative.end()) return {};
  return first->string();
}

void check_cue_conflict_inputs(const std::vector<fs::path>& contents, const std::vector<fs::path>& paintings,
                               size_t num_styles) {
  for (const fs::path& c : contents) check_class_folder(c, "--content");
  std::map<std::string, size_t> paintings_per_class;
  for (const fs::path& p : paintings) {
    check_class_folder(p, "--styles");
    ++paintings_per_class[top_level_class(p)];
  }
  std::set<std::string> shape_classes;
  for (const fs::path& c : contents) shape_classes.insert(top_level_class(c));
  for (const std::string& shape : shape_classes) {
    const auto own = paintings_per_class.find(shape);
    const size_t others = paintings.size() - (own == paintings_per_class.end() ? 0 : own->second);
    if (others < num_styles) {
      throw UsageError(str_cat("--cue-conflict: the shape class '", shape, "' has ", others,
                               " paintings of other classes in --styles, fewer than --num-styles ",
                               num_styles));
    }
  }
}

std::vector<size_t> pick_other_class_paintings(uint64_t seed, const fs::path& content_relative,
                                               const std::vector<fs::path>& paintings, size_t num_styles) {
  const std::string shape = top_level_class(content_relative);
  std::vector<size_t> pool;
  for (size_t i = 0; i < paintings.size(); ++i)
    if (top_level_class(paintings[i]) != shape) pool.push_back(i);
  if (pool.size() < num_styles) {
    throw std::runtime_error(str_cat("--cue-conflict: only ", pool.size(),
                                     " usable paintings of classes other than '", shape,
                                     "', fewer than --num-styles ", num_styles));
  }
  std::vector<size_t> chosen =
      pick_paintings(seed, content_relative.generic_string(), pool.size(), num_styles);
  for (size_t& c : chosen) c = pool[c];
  return chosen;
}

std::vector<PlannedContent> plan_cue_conflict_outputs(const std::vector<fs::path>& contents,
                                                      const std::vector<fs::path>& scanned,
                                                      const std::vector<fs::path>& usable,
                                                      const PlanSettings& settings) {
  const std::map<std::string, size_t> shape_number = positions_within_classes(contents);
  const std::map<std::string, size_t> texture_number = positions_within_classes(scanned);
  const std::string suffix = settings.png ? ".png" : ".jpg";
  std::vector<PlannedContent> planned;
  planned.reserve(contents.size());
  std::map<fs::path, std::string> named;  // output -> the content it came from, to refuse a clash
  for (const fs::path& rel : contents) {
    PlannedContent p{
        rel, pick_other_class_paintings(settings.seed, rel, usable, settings.num_styles), {}, {}, {}};
    const std::string shape = top_level_class(rel);
    for (const size_t painting : p.paintings) {
      const fs::path& texture = usable[painting];
      const fs::path out = fs::path(shape) / str_cat(shape, shape_number.at(rel.generic_string()), "-",
                                                     top_level_class(texture),
                                                     texture_number.at(texture.generic_string()), suffix);
      // Distinct (shape, i, texture, j) give distinct names while class names hold no digit: a guard.
      if (!named.emplace(out, rel.generic_string()).second) {
        throw UsageError(str_cat("--cue-conflict: ", rel.string(), " and ", named.at(out),
                                 " would both be written as ", out.string()));
      }
      p.outputs.push_back(out);
    }
    planned.push_back(std::move(p));
  }
  return planned;
}

}  // namespace sinforge
