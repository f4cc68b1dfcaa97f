// The scrambled variant of the local-versus-global thesis: the square crop cut into G x G square blocks,
// put back in a random order (docs/REFERENCE.md, "derive").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace sinforge {

// Copy `copy`'s block order for one image and grid: a uniformly random permutation of the G * G row-major
// block indices, drawn from draw_key(relative_path, "scramble", G, copy) (draws.h). With derange the
// identity order is never returned: a drawn identity is replaced by the stream's next permutation, until
// one is not (G >= 2 needed, checked by the caller).
std::vector<int> block_order(uint64_t seed, const std::string& relative_path, int grid, int copy,
                             bool derange);

// The crop with its blocks rearranged: the block at row-major position i of the result is the crop's block
// order[i]. The crop is square with a side divisible by grid; order has grid * grid entries.
cv::Mat scramble_blocks(const cv::Mat& crop, int grid, const std::vector<int>& order);

// "3 0 2 1": an order as the manifest records it.
std::string order_text(const std::vector<int>& order);

}  // namespace sinforge
