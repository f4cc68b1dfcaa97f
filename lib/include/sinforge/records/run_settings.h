// The settings that determine a command's outputs, recorded in the output folder as sinforge.settings.json
// so that a resumed run (or another shard) cannot mix outputs made two different ways. What a command
// records is its own (pipeline/run_recipe.h for `run`, derive_options.h derive_settings); this is the file,
// the comparison and the refusal.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/output/output_options.h"

namespace sinforge {

std::filesystem::path settings_path(const std::filesystem::path& out_dir);

// The layout's keys (output_layout, tar_size, tar_prefix) into settings, for the webdataset layout only, so
// that folders written before the layout existed still resume. Every command's record uses it.
void record_layout(const OutputOptions& output, nlohmann::json& settings);

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
