// The literal-only zlib coder (literal_deflate.h): libdeflate's inflater gives back every input, from empty
// to one repeated byte to noise; the Huffman code lengths respect their limit and form a complete code. The
// PNGs made with it are decoded by libpng (zlib's inflate) in test_png_encoder.cpp.
#include "sinforge/image/literal_deflate.h"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace sinforge {
namespace {

std::vector<uint8_t> inflate(const std::vector<uint8_t>& zlib, size_t size) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::vector<uint8_t> out(size + 1);  // one spare byte: a longer stream would show as a wrong length
  size_t actual = 0;
  const libdeflate_result r =
      libdeflate_zlib_decompress(d, zlib.data(), zlib.size(), out.data(), out.size(), &actual);
  libdeflate_free_decompressor(d);
  EXPECT_EQ(r, LIBDEFLATE_SUCCESS);
  out.resize(r == LIBDEFLATE_SUCCESS ? actual : 0);
  return out;
}

TEST(LiteralDeflate, EveryInputInflatesBackExactly) {
  std::mt19937 rng(5);
  std::vector<std::pair<std::string, std::vector<uint8_t>>> inputs = {
      {"empty", {}}, {"one byte", {42}}, {"one repeated byte", std::vector<uint8_t>(100000, 7)}};
  std::vector<uint8_t> noise(70001), skewed(50000), two(999);
  for (auto& b : noise) b = static_cast<uint8_t>(rng());
  std::geometric_distribution<int> geometric(0.3);  // a few symbols common, the rest rare: deep trees
  for (auto& b : skewed) b = static_cast<uint8_t>(std::min(geometric(rng), 255));
  for (size_t i = 0; i < two.size(); ++i) two[i] = i % 7 == 0 ? 0 : 255;
  inputs.push_back({"noise", noise});
  inputs.push_back({"skewed", skewed});
  inputs.push_back({"two symbols", two});
  for (const auto& [what, data] : inputs) {
    const std::vector<uint8_t> z = zlib_compress_literals(data);
    EXPECT_EQ(inflate(z, data.size()), data) << what;
    ASSERT_GE(z.size(), 2u);
    EXPECT_EQ(((z[0] << 8) | z[1]) % 31, 0) << what << ": zlib header check";
  }
  // Noise cannot shrink, but at most 8 bits a literal plus the headers.
  EXPECT_LT(zlib_compress_literals(noise).size(), noise.size() + 400);
  // A skewed source comes near its entropy.
  std::vector<double> counts(256, 0);
  for (const uint8_t b : skewed) ++counts[b];
  double entropy_bits = 0;
  for (const double c : counts)
    if (c > 0) entropy_bits -= c * std::log2(c / static_cast<double>(skewed.size()));
  EXPECT_LT(static_cast<double>(zlib_compress_literals(skewed).size()) * 8, entropy_bits * 1.05 + 8 * 400);
}

TEST(LiteralDeflate, CodeLengthsStayWithinTheirLimitAndFormACompleteCode) {
  // Fibonacci frequencies make the deepest Huffman trees: 40 symbols would need 39 bits unlimited.
  std::vector<uint64_t> fibonacci(40);
  fibonacci[0] = fibonacci[1] = 1;
  for (size_t i = 2; i < fibonacci.size(); ++i) fibonacci[i] = fibonacci[i - 1] + fibonacci[i - 2];
  const std::vector<std::pair<std::vector<uint64_t>, int>> cases = {
      {fibonacci, 15}, {fibonacci, 7}, {std::vector<uint64_t>(19, 3), 7}, {{0, 0, 5, 0}, 7}, {{0, 0, 0}, 15}};
  for (const auto& [frequencies, limit] : cases) {
    const std::vector<uint8_t> lengths = detail::huffman_code_lengths(frequencies, limit);
    ASSERT_EQ(lengths.size(), frequencies.size());
    double kraft = 0;
    int coded = 0;
    for (size_t s = 0; s < lengths.size(); ++s) {
      EXPECT_LE(lengths[s], limit);
      if (frequencies[s] > 0) {
        EXPECT_GT(lengths[s], 0) << "a used symbol without a code";
      }
      if (lengths[s] > 0) {
        kraft += std::ldexp(1.0, -lengths[s]);
        ++coded;
      }
    }
    EXPECT_GE(coded, 2);
    EXPECT_DOUBLE_EQ(kraft, 1.0) << "an incomplete or oversubscribed code, limit " << limit;
  }
  EXPECT_THROW(detail::huffman_code_lengths(std::vector<uint64_t>(300, 1), 8), std::invalid_argument);
}

}  // namespace
}  // namespace sinforge
