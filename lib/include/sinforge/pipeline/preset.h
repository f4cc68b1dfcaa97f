// Presets: named recipes kept as YAML files in configs/ (sin224, sin64, full). A preset's keys are the
// `sinforge run` flags without their dashes; an explicit flag overrides the preset's value.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sinforge/pipeline/run.h"

namespace sinforge {

// --preset NAME|FILE: an existing file, or anything with a '/' or a .yaml/.yml suffix, is a file; otherwise
// configs/<NAME>.yaml, looked up beside the installed executable (<prefix>/share/sinforge/configs) and then
// in the source tree this binary was built from. Throws UsageError listing where it looked.
std::filesystem::path resolve_preset(const std::string& name_or_file);

// Sets the options the file names and returns those keys. Throws UsageError naming the file and the key
// for an unknown key, a value of the wrong type or out of range; nothing is set then.
std::vector<std::string> apply_preset(const std::filesystem::path& file, RunOptions& options);

// The keys a preset may hold (each also a `sinforge run` flag).
std::vector<std::string> preset_keys();

}  // namespace sinforge
