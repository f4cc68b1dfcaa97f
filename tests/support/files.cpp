#include "support/files.h"

#include <fstream>
#include <iterator>

namespace sinforge::testing {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> read_byte_vector(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

void write_bytes(const fs::path& path, std::span<const uint8_t> data) {
  write_bytes(path, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

}  // namespace sinforge::testing
