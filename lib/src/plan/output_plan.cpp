#include "sinforge/plan/output_plan.h"

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
        rel, pick_paintings(settings.seed, rel.generic_string(), paintings.size(), settings.num_styles), {}};
    for (const size_t painting : p.paintings) {
      const std::string* label = settings.num_styles > 1 ? &labels[painting] : nullptr;
      std::filesystem::path out = output_relative_path(rel, settings.png, label);
      if (taken.count(out) != 0) out = clash_free_name(rel, out, label, taken);
      taken.insert(out);
      p.outputs.push_back(out);
    }
    planned.push_back(std::move(p));
  }
  return planned;
}

}  // namespace sinforge
