// What determines the outputs of `sinforge run`, as its settings record (records/run_settings.h) and its
// summary show it.
//
// Recorded: the weights' digests, the recipe (sizes, crop), seed, alpha, num-styles, precision, format and
// quality, extensions and a digest of the painting list; with --output-layout webdataset also the layout,
// the tar size and the tar prefix (a folder run records none of them, as before the layout existed). Not
// recorded, free to differ between runs and shards: threads, batch size, device, logging, the shard, and
// where the folders are mounted.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/pipeline/run.h"

namespace sinforge {

// The recipe part of o (sizes, crops, filter, seed, alpha, styles, precision, format, extensions): what the
// settings file and the run's summary record both show, written once.
nlohmann::json recipe_settings(const RunOptions& o);

// The settings of o, with the weights' digests and the painting list's (relative paths, as scanned), and with
// --pairs the map's digest (pairs_file.h; the key only then, so folders made without it still resume).
nlohmann::json output_settings(const RunOptions& o, const std::string& vgg_sha256,
                               const std::string& decoder_sha256,
                               const std::vector<std::filesystem::path>& paintings,
                               const std::string& pairs_digest = "");

}  // namespace sinforge
