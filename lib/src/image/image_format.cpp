#include "sinforge/image/image_format.h"

#include <algorithm>
#include <cctype>

namespace sinforge {

std::string to_string(ImageFormat format) { return format == ImageFormat::kPng ? "png" : "jpg"; }

bool parse_image_format(const std::string& name, ImageFormat& out) {
  if (name == "jpg" || name == "jpeg") {
    out = ImageFormat::kJpeg;
  } else if (name == "png") {
    out = ImageFormat::kPng;
  } else {
    return false;
  }
  return true;
}

std::optional<ImageFormat> image_format_of(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  if (ext.empty()) return std::nullopt;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  ImageFormat format{};
  if (!parse_image_format(ext.substr(1), format)) return std::nullopt;
  return format;
}

}  // namespace sinforge
