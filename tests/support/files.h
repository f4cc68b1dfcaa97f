// Whole files in and out, for the tests: no LibTorch, so the sanitizer builds (sanitizers/) use it too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sinforge::testing {

// A file's whole content; empty when it cannot be read.
std::string read_bytes(const std::filesystem::path& path);
std::vector<uint8_t> read_byte_vector(const std::filesystem::path& path);
// Writes (truncating) data to path.
void write_bytes(const std::filesystem::path& path, std::string_view data);
void write_bytes(const std::filesystem::path& path, std::span<const uint8_t> data);

}  // namespace sinforge::testing
