// The paintings' relu4_1 channel statistics: all AdaIN needs of a painting. Each painting is decoded,
// prepared and encoded once; unreadable or too small ones are left out and reported.
#pragma once

#include <filesystem>
#include <vector>

#include <ATen/ATen.h>

#include "sinforge/network.h"
#include "sinforge/recipe.h"
#include "sinforge/records.h"
#include "sinforge/thread_pool.h"

namespace sinforge {

struct StyleBank {
  std::vector<std::filesystem::path> paintings;  // relative to the styles folder: the usable ones, in order
  at::Tensor mean;                               // float32 [P, 512] on the network's device
  at::Tensor std;                                // float32 [P, 512]
};

StyleBank encode_paintings(const std::filesystem::path& styles_dir,
                           const std::vector<std::filesystem::path>& found, const StyleRecipe& recipe,
                           const StyleNetwork& net, ThreadPool& pool, std::vector<SkippedInput>& skipped);

}  // namespace sinforge
