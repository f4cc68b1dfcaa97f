// The settings that determine a run's outputs, recorded in the output folder as sinforge.settings.json so
// that a resumed run (or another shard) cannot mix outputs made two different ways.
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

std::filesystem::path settings_path(const std::filesystem::path& out_dir);

// The recipe part of o (sizes, crops, filter, seed, alpha, styles, precision, format, extensions): what the
// settings file and the run's summary record both show, written once.
nlohmann::json recipe_settings(const RunOptions& o);

// The settings of o, with the weights' digests and the painting list's (relative paths, as scanned), and with
// --pairs the map's digest (pairs_file.h; the key only then, so folders made without it still resume).
nlohmann::json output_settings(const RunOptions& o, const std::string& vgg_sha256,
                               const std::string& decoder_sha256,
                               const std::vector<std::filesystem::path>& paintings,
                               const std::string& pairs_digest = "");

// "alpha (recorded 1, now 0.5); seed (recorded 0, now 3)": every key whose value differs; empty if none.
std::string describe_differences(const nlohmann::json& recorded, const nlohmann::json& now);

// Compares with the settings recorded in out_dir, if any. Differences throw UsageError naming them, unless
// overwrite. Nothing is written here (see write_settings).
void check_settings(const std::filesystem::path& out_dir, const nlohmann::json& now, bool overwrite);
// Records the settings (atomically). Every shard writes this one file: owner (a shard label) names the
// temporary (atomic_file.h), so that only this shard's next run removes one its kill left behind.
void write_settings(const std::filesystem::path& out_dir, const nlohmann::json& now,
                    const std::string& owner = {});

}  // namespace sinforge
