// The plan of a run: for every content image, its paintings and its output files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sinforge/plan/pairs_file.h"

namespace sinforge {

struct PlannedContent {
  std::filesystem::path relative;              // relative to the content folder
  std::vector<size_t> paintings;               // indices into the style bank, one per style
  std::vector<std::filesystem::path> outputs;  // relative to the output folder, one per painting
  // --content tar shards: "<tar>:<member>", what messages and the skipped record name the input by (the
  // relative path stays the sample's identity for pairing, names and the manifest); empty for a file.
  std::string source;
  // --content tar shards: the sample's key in its tar, which the webdataset layout keeps (webdataset.h
  // output_key); empty for a file.
  std::string key;
};

// What the skipped record names p by: its source, else its relative path.
inline std::filesystem::path record_path(const PlannedContent& p) {
  return p.source.empty() ? p.relative : std::filesystem::path(p.source);
}

struct PlanSettings {
  uint64_t seed = 0;
  size_t num_styles = 1;
  bool png = false;
};

// Pairs every content image with paintings (pairing.h) and names its outputs (output_relative_path). Two
// inputs never share an output: the later one in the list's order keeps its own extension in the name
// (a.jpg and a.png with --format png: a.png and a.png.png; with several styles a.png-stylized-<label>.png),
// and should even that be taken, "-2", "-3", ... follow before the extension.
std::vector<PlannedContent> plan_outputs(const std::vector<std::filesystem::path>& contents,
                                         const std::vector<std::filesystem::path>& paintings,
                                         const PlanSettings& settings);

// The plan of a --pairs run (pairs_file.h): the listed contents only, in contents' order, each with its
// listed paintings in k order, named as plan_outputs names them (the several-style names when any content
// lists more than one painting). paintings are the usable ones (the style bank's); a listed painting that is
// not among them (unreadable, too small) is left out of its content's list and reported in *dropped as
// (content, painting), and a content left with none is not planned.
std::vector<PlannedContent> plan_listed_outputs(const std::vector<std::filesystem::path>& contents,
                                                const std::vector<std::filesystem::path>& paintings,
                                                const ExplicitPairs& pairs, bool png,
                                                std::vector<std::pair<std::string, std::string>>* dropped);

}  // namespace sinforge
