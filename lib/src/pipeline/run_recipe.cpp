#include "sinforge/pipeline/run_recipe.h"

#include <cstdio>

#include "sinforge/image/image_format.h"
#include "sinforge/image/recipe.h"
#include "sinforge/plan/pairing.h"
#include "sinforge/records/run_settings.h"

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

nlohmann::json recipe_settings(const RunOptions& o) {
  return {{"num_styles", o.num_styles},
          {"alpha", o.alpha},
          {"content_size", o.content.size},
          {"style_size", o.style.size},
          {"crop", o.content.crop},
          {"output_size", o.content.output_size},
          {"style_crop", to_string(o.style.crop)},
          {"style_filter", to_string(o.style.filter)},
          {"style_min_size", o.style.min_size},
          {"seed", o.seed},
          {"precision", to_string(o.session.precision)},
          {"format", to_string(o.output.encoding.format)},
          {"extensions", o.extensions}};
}

nlohmann::json output_settings(const RunOptions& o, const std::string& vgg_sha256,
                               const std::string& decoder_sha256, const std::vector<fs::path>& paintings,
                               const std::string& pairs_digest) {
  nlohmann::json settings = recipe_settings(o);
  settings["vgg_sha256"] = vgg_sha256;
  settings["decoder_sha256"] = decoder_sha256;
  settings["quality"] = o.output.encoding.format == ImageFormat::kPng
                            ? 0
                            : o.output.encoding.jpeg_quality;  // PNG ignores the quality
  settings["paintings"] = painting_list_digest(paintings);
  if (!pairs_digest.empty()) settings["pairs"] = pairs_digest;  // the map replaces the seed's draw
  if (o.cue_conflict) settings["cue_conflict"] = true;          // only when set: older folders still resume
  record_layout(o.output, settings);
  return settings;
}

}  // namespace sinforge
