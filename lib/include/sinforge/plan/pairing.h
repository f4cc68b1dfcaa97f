// Which paintings stylize which content image, and what the result is called.
//
// The choice is a deterministic function of (seed, the content image's relative path, k), so any subset,
// shard or rerun of a dataset pairs every image the same way, whatever else is in the run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sinforge {

// num_styles distinct indices into a painting list of num_paintings entries.
// Requires 1 <= num_styles <= num_paintings.
std::vector<size_t> pick_paintings(uint64_t seed, const std::string& content_relative_path,
                                   size_t num_paintings, size_t num_styles);

// A name per painting for output files: its stem where that is unique among the paintings, else its
// relative path without extension with '/' turned into '_' (and, should even that repeat, "-<index>").
std::vector<std::string> painting_labels(const std::vector<std::filesystem::path>& paintings);

// The stable 64-bit hash used for pairing (FNV-1a over the bytes, finished by SplitMix64).
uint64_t stable_hash(const std::string& bytes, uint64_t seed);

}  // namespace sinforge

namespace sinforge {

// Where a content image's result goes, relative to the output folder: <dir>/<stem><suffix> for one style,
// <dir>/<stem>-stylized-<painting label><suffix> for several. suffix is the content's own extension when it
// is a JPEG one and JPEG is written (ImageNet's .JPEG stays .JPEG), else ".jpg" or ".png".
std::filesystem::path output_relative_path(const std::filesystem::path& content_relative, bool png,
                                           const std::string* painting_label);

}  // namespace sinforge
