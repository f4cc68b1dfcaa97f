#include "sinforge/plan/output_plan.h"

#include <map>
#include <set>
#include <string>

#include "sinforge/plan/pairing.h"

namespace sinforge {
namespace {

// The name of an output whose usual name another input took: the content's whole file name as the stem
// (a.png -> a.png.png), the painting's label kept; should even that be taken, "-2", "-3", ... before the
// extension.
std::filesystem::path clash_free_name(const std::filesystem::path& content,
                                      const std::filesystem::path& usual, const std::string* label,
                                      const std::set<std::filesystem::path>& taken) {
  const std::string stem = content.filename().string() + (label != nullptr ? "-stylized-" + *label : "");
  const std::string extension = usual.extension().string();
  std::filesystem::path out = usual.parent_path() / (stem + extension);
  for (int n = 2; taken.count(out) != 0; ++n)
    out = usual.parent_path() / (stem + "-" + std::to_string(n) + extension);
  return out;
}

// Names the outputs of p (its paintings chosen), unique among taken.
void name_outputs(PlannedContent& p, const std::vector<std::string>& labels, bool several, bool png,
                  std::set<std::filesystem::path>& taken) {
  for (const size_t painting : p.paintings) {
    const std::string* label = several ? &labels[painting] : nullptr;
    std::filesystem::path out = output_relative_path(p.relative, png, label);
    if (taken.count(out) != 0) out = clash_free_name(p.relative, out, label, taken);
    taken.insert(out);
    p.outputs.push_back(out);
  }
}

}  // namespace

std::vector<PlannedContent> plan_outputs(const std::vector<std::filesystem::path>& contents,
                                         const std::vector<std::filesystem::path>& paintings,
                                         const PlanSettings& settings) {
  const std::vector<std::string> labels = painting_labels(paintings);
  std::vector<PlannedContent> planned;
  planned.reserve(contents.size());
  std::set<std::filesystem::path> taken;
  for (const std::filesystem::path& rel : contents) {
    PlannedContent p{
        rel,
        pick_paintings(settings.seed, rel.generic_string(), paintings.size(), settings.num_styles),
        {},
        {},
        {}};
    name_outputs(p, labels, settings.num_styles > 1, settings.png, taken);
    planned.push_back(std::move(p));
  }
  return planned;
}

std::vector<PlannedContent> plan_listed_outputs(const std::vector<std::filesystem::path>& contents,
                                                const std::vector<std::filesystem::path>& paintings,
                                                const ExplicitPairs& pairs, bool png,
                                                std::vector<std::pair<std::string, std::string>>* dropped) {
  const std::vector<std::string> labels = painting_labels(paintings);
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < paintings.size(); ++i) index_of.emplace(paintings[i].generic_string(), i);
  const bool several = pairs.several();
  std::vector<PlannedContent> planned;
  std::set<std::filesystem::path> taken;
  for (const std::filesystem::path& rel : contents) {
    const auto listed = pairs.paintings_of.find(rel.generic_string());
    if (listed == pairs.paintings_of.end()) continue;  // not listed: not stylized
    PlannedContent p{rel, {}, {}, {}, {}};
    for (const std::string& painting : listed->second) {
      const auto found = index_of.find(painting);
      if (found != index_of.end()) {
        p.paintings.push_back(found->second);
      } else if (dropped != nullptr) {
        dropped->emplace_back(listed->first, painting);
      }
    }
    if (p.paintings.empty()) continue;
    name_outputs(p, labels, several, png, taken);
    planned.push_back(std::move(p));
  }
  return planned;
}

}  // namespace sinforge
