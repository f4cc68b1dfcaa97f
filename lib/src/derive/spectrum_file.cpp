#include "sinforge/derive/spectrum_file.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"

namespace sinforge {
namespace {

constexpr char kMagic[] = "\x93NUMPY";  // then version 1.0, a 2-byte little-endian header length

}  // namespace

void write_spectrum_file(const std::filesystem::path& file, const cv::Mat& spectrum,
                         const std::string& owner) {
  std::string header = str_cat("{'descr': '<f8', 'fortran_order': False, 'shape': (", spectrum.rows, ", ",
                               spectrum.cols, "), }");
  // The whole preamble (magic, version, length, header, newline) is padded to a multiple of 64 bytes.
  while ((6 + 2 + 2 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> bytes(kMagic, kMagic + 6);
  bytes.push_back(1);
  bytes.push_back(0);
  bytes.push_back(static_cast<uint8_t>(header.size() & 0xff));
  bytes.push_back(static_cast<uint8_t>(header.size() >> 8));
  bytes.insert(bytes.end(), header.begin(), header.end());
  const cv::Mat data = spectrum.isContinuous() ? spectrum : spectrum.clone();
  const auto* raw = data.ptr<uint8_t>();
  bytes.insert(bytes.end(), raw, raw + data.total() * sizeof(double));
  write_file_atomic(file, bytes, owner);
}

cv::Mat read_spectrum_file(const std::filesystem::path& file) { return read_npy_array(file, "--spectrum"); }

cv::Mat read_npy_array(const std::filesystem::path& file, const std::string& flag) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto bad = [&](const std::string& why) {
    return UsageError(str_cat(flag, " ", file.string(), ": ", why));
  };
  if (!in && bytes.empty()) throw bad("cannot be read");
  if (bytes.size() < 10 || bytes.compare(0, 6, std::string(kMagic, 6)) != 0 || bytes[6] != 1)
    throw bad("not a NumPy .npy file of version 1.0");
  const size_t length =
      static_cast<uint8_t>(bytes[8]) | (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
  if (bytes.size() < 10 + length) throw bad("truncated header");
  const std::string header = bytes.substr(10, length);
  static const std::regex shape(
      R"(\{'descr': '<f8', 'fortran_order': False, 'shape': \((\d+),(?: (\d+))?\), *\}\s*)");
  std::smatch m;
  if (!std::regex_match(header, m, shape))
    throw bad("not a 1-D or 2-D little-endian float64 array in C order");
  // A 1-D array of n reads as one row of n.
  const int rows = m[2].matched ? std::stoi(m[1]) : 1, cols = std::stoi(m[m[2].matched ? 2 : 1]);
  const size_t data = static_cast<size_t>(rows) * static_cast<size_t>(cols) * sizeof(double);
  if (bytes.size() != 10 + length + data) throw bad("its data does not have the header's shape");
  cv::Mat spectrum(rows, cols, CV_64FC1);
  std::memcpy(spectrum.ptr<uint8_t>(), bytes.data() + 10 + length, data);
  return spectrum;
}

}  // namespace sinforge
