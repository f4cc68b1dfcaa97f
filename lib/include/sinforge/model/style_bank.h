// The paintings' relu4_1 channel statistics: all AdaIN needs of a painting. Each painting is decoded,
// prepared and encoded once; unreadable or too small ones are left out and reported.
#pragma once

#include <filesystem>
#include <vector>

#include <ATen/ATen.h>

#include "sinforge/core/thread_pool.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/skipped_input.h"
#include "sinforge/model/network.h"

namespace sinforge {

struct StyleBank {
  std::vector<std::filesystem::path> paintings;  // relative to the styles folder: the usable ones, in order
  at::Tensor mean;                               // float32 [P, 512] on the network's device
  at::Tensor std;                                // float32 [P, 512]
  double encode_seconds = 0;                     // time encode_paintings took; 0 for a bank read from a file
};

// Decodes, prepares and encodes every painting of found (relative to styles_dir); those that cannot be used
// go to skipped with the reason. The bank lists the usable ones in found's order.
StyleBank encode_paintings(const std::filesystem::path& styles_dir,
                           const std::vector<std::filesystem::path>& found, const StyleRecipe& recipe,
                           const StyleNetwork& net, ThreadPool& pool, std::vector<SkippedInput>& skipped);

}  // namespace sinforge
