#include "sinforge/plan.h"

#include <set>
#include <string>

#include "sinforge/pairing.h"

namespace sinforge {

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
      std::filesystem::path out =
          output_relative_path(rel, settings.png, settings.num_styles > 1 ? &labels[painting] : nullptr);
      if (taken.count(out) != 0) out.replace_filename(rel.filename().string() + out.extension().string());
      taken.insert(out);
      p.outputs.push_back(out);
    }
    planned.push_back(std::move(p));
  }
  return planned;
}

}  // namespace sinforge
