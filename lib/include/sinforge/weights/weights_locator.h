// Where the two AdaIN weight files are: flags, environment, the weights folder, then the user's cache.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

// The same lookup, one entry per file, never throwing: what `sinforge info` reports.
struct WeightFileLookup {
  std::string file_name;                      // vgg_normalised.pth, decoder.pth
  std::optional<std::filesystem::path> path;  // where it was found
  std::string source;   // "--vgg", "$SINFORGE_VGG", "$SINFORGE_WEIGHTS_DIR", "the cache"
  std::string problem;  // why not found (the same text locate_weights throws)
};
std::vector<WeightFileLookup> find_weight_files(std::optional<std::filesystem::path> vgg_flag,
                                                std::optional<std::filesystem::path> decoder_flag);

// The SHA-256 of the official vgg_normalised.pth (weights/README.md). None is published for decoder.pth:
// weights/fetch.sh records its digest beside it, in decoder.pth.sha256, on the first download.
inline constexpr const char* kOfficialVggSha256 =
    "804ca2835ecf7539f0cd2a7ac3c18ce81e6f8468969ae7117ac0c148d286bb4a";

}  // namespace sinforge
