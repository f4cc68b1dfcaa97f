#include "sinforge/records/run_settings.h"

#include <fstream>
#include <iterator>
#include <set>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"

namespace sinforge {
namespace fs = std::filesystem;

fs::path settings_path(const fs::path& out_dir) { return out_dir / "sinforge.settings.json"; }

void record_layout(const OutputOptions& output, nlohmann::json& settings) {
  if (output.layout != OutputLayout::kWebDataset) return;
  settings["output_layout"] = to_string(output.layout);
  settings["tar_size"] = output.tar_size;
  settings["tar_prefix"] = output.tar_prefix;
}

std::string describe_differences(const nlohmann::json& recorded, const nlohmann::json& now) {
  std::set<std::string> keys;
  for (const auto& [key, value] : recorded.items()) keys.insert(key);
  for (const auto& [key, value] : now.items()) keys.insert(key);
  std::string text;
  for (const std::string& key : keys) {
    const nlohmann::json a = recorded.value(key, nlohmann::json()), b = now.value(key, nlohmann::json());
    if (a == b) continue;
    if (!text.empty()) text += "; ";
    text += key + " (recorded " + a.dump() + ", now " + b.dump() + ")";
  }
  return text;
}

void check_settings(const fs::path& out_dir, const nlohmann::json& now, bool overwrite) {
  const fs::path file = settings_path(out_dir);
  if (overwrite || !fs::exists(file)) return;
  std::ifstream in(file, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const nlohmann::json recorded = nlohmann::json::parse(text, nullptr, false);
  // Valid JSON that is no object ("1.0", a list) is as unusable as broken JSON: both name the file's state.
  const std::string differences = recorded.is_discarded() ? "the file cannot be parsed"
                                  : !recorded.is_object() ? "the file holds no settings object"
                                                          : describe_differences(recorded, now);
  if (differences.empty()) return;
  throw UsageError("--out " + out_dir.string() + " holds outputs made with other settings: " + differences +
                   ". Use another --out, or --overwrite to recompute every output with these settings");
}

void write_settings(const fs::path& out_dir, const nlohmann::json& now, const std::string& owner) {
  const std::string text = now.dump(2) + "\n";
  write_file_atomic(settings_path(out_dir),
                    std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), owner);
}

}  // namespace sinforge
