// Where the two AdaIN weight files are: flags, environment, the weights folder, then the user's cache.
#pragma once

#include <filesystem>
#include <optional>

namespace sinforge {

struct WeightPaths {
  std::filesystem::path vgg, decoder;
};

// Per file, the first of: the flag (--vgg / --decoder; must exist when given); $SINFORGE_VGG /
// $SINFORGE_DECODER; $SINFORGE_WEIGHTS_DIR/vgg_normalised.pth and .../decoder.pth;
// ${XDG_CACHE_HOME:-$HOME/.cache}/sinforge/weights/ with the same names. Throws UsageError listing every
// place it looked, and how to get the files (weights/fetch.sh or SINFORGE_WEIGHTS_DIR), when one is missing.
WeightPaths locate_weights(std::optional<std::filesystem::path> vgg_flag,
                           std::optional<std::filesystem::path> decoder_flag);

}  // namespace sinforge
