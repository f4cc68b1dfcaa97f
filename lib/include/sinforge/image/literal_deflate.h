// A zlib stream (RFC 1950) holding one deflate block (RFC 1951) of literals under dynamic Huffman codes: no
// search for repeated strings at all. On the filtered rows of a photograph (or a stylized image) repeats are
// rare and short, so a string search buys few bytes, and it is where libdeflate's fastest level spends most
// of its time: this coder writes a 224 x 224 PNG's rows several times faster for some percent more bytes
// (png_encoder.h level 0; docs/PERFORMANCE.md). Any inflater reads it: the tests inflate it with zlib and
// libdeflate, and decode the PNGs with OpenCV's libpng.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace sinforge {

std::vector<uint8_t> zlib_compress_literals(std::span<const uint8_t> data);

namespace detail {
// Code lengths of a Huffman code for the frequencies (0: the symbol is unused, and gets no code), none over
// max_length: a frequency-scaled retry whenever the tree is deeper. At least two symbols get a code (one used
// symbol is given an unused partner), so the code is complete, as inflaters want. Exposed for the tests.
std::vector<uint8_t> huffman_code_lengths(std::vector<uint64_t> frequencies, int max_length);
}  // namespace detail

}  // namespace sinforge
