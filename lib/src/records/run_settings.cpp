#include "sinforge/records/run_settings.h"

#include <fstream>
#include <iterator>
#include <set>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/image/image_format.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/plan/pairing.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// Pairing indexes into the sorted painting list, so the list itself (not only its size) shapes outputs.
std::string painting_list_digest(const std::vector<fs::path>& paintings) {
  std::string all;
  for (const fs::path& p : paintings) all += p.generic_string() + '\n';
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(stable_hash(all, 0)));
  return std::to_string(paintings.size()) + ":" + hex;
}

}  // namespace

fs::path settings_path(const fs::path& out_dir) { return out_dir / "sinforge.settings.json"; }

nlohmann::json recipe_settings(const RunOptions& o) {
  return {{"num_styles", o.num_styles},
          {"alpha", o.alpha},
          {"content_size", o.content_size},
          {"style_size", o.style_size},
          {"crop", o.crop},
          {"output_size", o.output_size},
          {"style_crop", to_string(o.style_crop)},
          {"style_filter", to_string(o.style_filter)},
          {"style_min_size", o.style_min_size},
          {"seed", o.seed},
          {"precision", to_string(o.precision)},
          {"format", to_string(o.format)},
          {"extensions", o.extensions}};
}

nlohmann::json output_settings(const RunOptions& o, const std::string& vgg_sha256,
                               const std::string& decoder_sha256, const std::vector<fs::path>& paintings,
                               const std::string& pairs_digest) {
  nlohmann::json settings = recipe_settings(o);
  settings["vgg_sha256"] = vgg_sha256;
  settings["decoder_sha256"] = decoder_sha256;
  settings["quality"] = o.format == ImageFormat::kPng ? 0 : o.quality;  // PNG ignores the quality
  settings["paintings"] = painting_list_digest(paintings);
  if (!pairs_digest.empty()) settings["pairs"] = pairs_digest;  // the map replaces the seed's draw
  if (o.cue_conflict) settings["cue_conflict"] = true;          // only when set: older folders still resume
  // Only the webdataset layout adds its keys, so folders written before the layout existed still resume.
  if (o.layout == OutputLayout::kWebDataset) {
    settings["output_layout"] = to_string(o.layout);
    settings["tar_size"] = o.tar_size;
    settings["tar_prefix"] = o.tar_prefix;
  }
  return settings;
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
