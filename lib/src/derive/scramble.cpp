#include "sinforge/derive/scramble.h"

#include <numeric>
#include <stdexcept>

#include "sinforge/derive/draws.h"

namespace sinforge {

std::vector<int> block_order(uint64_t seed, const std::string& relative_path, int grid, int copy,
                             bool derange) {
  DrawStream draws(seed, draw_key(relative_path, "scramble", std::to_string(grid), copy));
  std::vector<int> identity(static_cast<size_t>(grid * grid));
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<int> order = random_permutation(draws, grid * grid);
  while (derange && order == identity && grid >= 2) order = random_permutation(draws, grid * grid);
  return order;
}

cv::Mat scramble_blocks(const cv::Mat& crop, int grid, const std::vector<int>& order) {
  if (crop.cols != crop.rows || grid < 1 || crop.cols % grid != 0 ||
      order.size() != static_cast<size_t>(grid * grid))
    throw std::invalid_argument("scramble_blocks: a square crop with a side divisible by the grid is needed");
  const int block = crop.cols / grid;
  cv::Mat out(crop.size(), crop.type());
  for (int i = 0; i < grid * grid; ++i) {
    const int from = order[static_cast<size_t>(i)];
    const cv::Rect source((from % grid) * block, (from / grid) * block, block, block);
    const cv::Rect target((i % grid) * block, (i / grid) * block, block, block);
    crop(source).copyTo(out(target));
  }
  return out;
}

std::string order_text(const std::vector<int>& order) {
  std::string text;
  for (const int i : order) text += (text.empty() ? "" : " ") + std::to_string(i);
  return text;
}

}  // namespace sinforge
