// The names of the formats outputs are written in (ImageFormat, image_io.h): "jpg" (also read as "jpeg")
// and "png", spelled here once for the flags, the presets, the settings records, the preview sheet's file
// name and output naming.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "sinforge/image/image_io.h"

namespace sinforge {

// "jpg" or "png": the name the flags take and the settings records write.
std::string to_string(ImageFormat format);

// "jpg", "jpeg" or "png" (exactly: flags and presets are case-sensitive); false otherwise, out untouched.
bool parse_image_format(const std::string& name, ImageFormat& out);

// The format a file's extension names, case-insensitively (".JPEG" -> kJpeg); none for any other extension.
std::optional<ImageFormat> image_format_of(const std::filesystem::path& file);

}  // namespace sinforge
