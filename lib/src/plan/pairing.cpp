#include "sinforge/plan/pairing.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "sinforge/image/image_format.h"

namespace sinforge {
namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, n) without modulo bias worth measuring (Lemire's multiply-shift).
__extension__ typedef unsigned __int128
    Uint128;  // GCC/Clang's 128-bit integer; __extension__ quiets -Wpedantic

size_t below(uint64_t random, size_t n) {
  return static_cast<size_t>((static_cast<Uint128>(random) * n) >> 64);
}

}  // namespace

uint64_t stable_hash(const std::string& bytes, uint64_t seed) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char ch : bytes) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return splitmix64(h ^ splitmix64(seed));
}

std::vector<size_t> pick_paintings(uint64_t seed, const std::string& content_relative_path,
                                   size_t num_paintings, size_t num_styles) {
  if (num_styles == 0 || num_styles > num_paintings) {
    throw std::invalid_argument("cannot pick " + std::to_string(num_styles) + " distinct paintings of " +
                                std::to_string(num_paintings));
  }
  const uint64_t base = stable_hash(content_relative_path, seed);
  std::vector<size_t> picks;
  picks.reserve(num_styles);
  for (uint64_t k = 0; k < num_styles; ++k) {
    // Draw k's candidates from its own stream until one is new: without replacement, per image.
    for (uint64_t attempt = 0;; ++attempt) {
      const size_t candidate = below(splitmix64(base ^ splitmix64((k << 32) + attempt)), num_paintings);
      if (std::find(picks.begin(), picks.end(), candidate) == picks.end()) {
        picks.push_back(candidate);
        break;
      }
    }
  }
  return picks;
}

std::vector<std::string> painting_labels(const std::vector<std::filesystem::path>& paintings) {
  std::map<std::string, int> stem_count;
  for (const auto& p : paintings) ++stem_count[p.stem().string()];
  std::vector<std::string> labels;
  std::map<std::string, int> used;
  for (size_t i = 0; i < paintings.size(); ++i) {
    std::string label = paintings[i].stem().string();
    if (stem_count[label] > 1) {
      label = (paintings[i].parent_path() / paintings[i].stem()).generic_string();
      std::replace(label.begin(), label.end(), '/', '_');
    }
    if (used[label]++ > 0) label.append("-").append(std::to_string(i));
    labels.push_back(label);
  }
  return labels;
}

}  // namespace sinforge

namespace sinforge {

std::filesystem::path output_relative_path(const std::filesystem::path& content_relative, bool png,
                                           const std::string* painting_label) {
  std::string suffix = png ? ".png" : ".jpg";
  if (!png && image_format_of(content_relative) == ImageFormat::kJpeg) {
    suffix = content_relative.extension().string();  // a JPEG keeps its extension's spelling
  }
  std::string name = content_relative.stem().string();
  if (painting_label != nullptr) name += "-stylized-" + *painting_label;
  return content_relative.parent_path() / (name + suffix);
}

}  // namespace sinforge
