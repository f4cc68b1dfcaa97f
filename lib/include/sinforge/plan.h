// The plan of a run: for every content image, its paintings and its output files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace sinforge {

struct PlannedContent {
  std::filesystem::path relative;              // relative to the content folder
  std::vector<size_t> paintings;               // indices into the style bank, one per style
  std::vector<std::filesystem::path> outputs;  // relative to the output folder, one per painting
};

struct PlanSettings {
  uint64_t seed = 0;
  size_t num_styles = 1;
  bool png = false;
};

// Pairs every content image with paintings (pairing.h) and names its outputs. Two inputs never share an
// output: the later one in sorted order keeps its own extension in the name (a.png -> a.png.png).
std::vector<PlannedContent> plan_outputs(const std::vector<std::filesystem::path>& contents,
                                         const std::vector<std::filesystem::path>& paintings,
                                         const PlanSettings& settings);

}  // namespace sinforge
