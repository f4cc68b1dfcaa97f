// `sinforge preview`: a contact sheet to judge settings before a long run. One row per sampled content
// image: the content as the recipe prepares it | the painting as the network sees it | the result, each
// scaled to a common row height. The recipes (content_recipe, style_recipe: crops, filters, the final shrink)
// and the pairing are the run's, so a result equals what `sinforge run` with the same seed and recipe
// writes for that image (while every painting is readable: the run pairs over the readable paintings that
// --style-min-size keeps, the preview over the scanned ones that it keeps by their headers, to avoid
// encoding them all). --content may name tar shards, as for the run: the samples are sampled and paired by
// the paths they would extract to, as the run pairs them.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "sinforge/pipeline/run.h"

namespace sinforge {

inline constexpr int kPreviewGap = 4;  // pixels between tiles and around the sheet

struct PreviewOptions {
  RunOptions run;  // inputs, weights, recipe, seed, device, precision, extensions, threads; out_dir unused
  size_t samples = 8;
  int tile_height = 256;
  std::filesystem::path out_file;  // .jpg/.jpeg (JPEG) or .png, by the extension
};

struct PreviewRow {
  std::filesystem::path content;   // relative to the content folder (tar shards: the sample's path)
  std::filesystem::path painting;  // relative to the styles folder
};

// Every check that can be made before work starts; throws UsageError naming the flag.
void validate(const PreviewOptions& options);

// The content images in the order the preview tries them: a deterministic function of the seed and each
// path alone, so adding images to the folder does not reshuffle the ones already sampled.
std::vector<std::filesystem::path> sample_order(const std::vector<std::filesystem::path>& contents,
                                                uint64_t seed);

// The sheet: one row of three tiles per entry, each tile scaled (Pillow bilinear) to tile_height with its
// aspect kept, left-aligned in a column as wide as that column's widest tile. Height:
// rows * tile_height + (rows + 1) * kPreviewGap; width: the three column widths + 4 * kPreviewGap.
cv::Mat contact_sheet(const std::vector<std::array<cv::Mat, 3>>& rows, int tile_height);

// Loads the weights, samples, stylizes and writes the sheet to options.out_file. Returns the rows drawn.
// Unreadable or too small samples are passed over (and logged); none usable at all is a runtime_error.
std::vector<PreviewRow> run_preview(const PreviewOptions& options);

}  // namespace sinforge
