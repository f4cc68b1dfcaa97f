// The plan of `run --cue-conflict` (the cue-conflict preset): each shape image stylized with textures of
// other classes and named as model-vs-human's cue-conflict stimuli, so that `shape-bias --stimuli` reads
// the output folder as it is.
//
// Classes are the top-level folders of --content (shapes) and of --styles (textures). A content image gets
// num_styles distinct paintings drawn from the usable paintings of the other classes, a deterministic
// function of (seed, its relative path, k) as pairing.h draws, so shards and reruns pair alike. Its outputs
// are <shape class>/<shape class><i>-<texture class><j><.png|.jpg>: i and j are 1-based positions in sorted
// order among the content images of that class and among the scanned paintings of that class (a painting
// left out as too small renumbers no other).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sinforge/plan/output_plan.h"

namespace sinforge {

// The class of a relative path: its top-level folder; empty for a file at the top.
std::string top_level_class(const std::filesystem::path& relative);

// Throws UsageError naming the first offender unless every content image and painting lies in a class
// folder whose name holds no digit and no '-' (a stimulus name "<class><i>-<class><j>" could not be read
// back otherwise), and every shape class has at least num_styles paintings of other classes.
void check_cue_conflict_inputs(const std::vector<std::filesystem::path>& contents,
                               const std::vector<std::filesystem::path>& paintings, size_t num_styles);

// num_styles distinct indices into paintings, none of content_relative's class. Throws std::runtime_error
// when fewer than num_styles paintings of other classes are there (the usable ones can be fewer than the
// scanned ones that check_cue_conflict_inputs counted).
std::vector<size_t> pick_other_class_paintings(uint64_t seed, const std::filesystem::path& content_relative,
                                               const std::vector<std::filesystem::path>& paintings,
                                               size_t num_styles);

// The plan: every content in contents' order, its paintings indices into usable (the style bank's list),
// numbered by their positions among scanned (every painting found, usable a subset of it).
std::vector<PlannedContent> plan_cue_conflict_outputs(const std::vector<std::filesystem::path>& contents,
                                                      const std::vector<std::filesystem::path>& scanned,
                                                      const std::vector<std::filesystem::path>& usable,
                                                      const PlanSettings& settings);

}  // namespace sinforge
