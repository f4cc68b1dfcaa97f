#include "sinforge/image/literal_deflate.h"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <functional>
#include <queue>
#include <stdexcept>
#include <utility>

namespace sinforge {
namespace {

constexpr int kEndOfBlock = 256;
constexpr int kLiteralCodes = 257;  // literals and the end of block: HLIT's smallest count
constexpr int kMaxCodeLength = 15;
constexpr int kMaxCodeLengthCodeLength = 7;
// The order in which the code length code's lengths are sent (RFC 1951, 3.2.7).
constexpr std::array<int, 19> kCodeLengthOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                  11, 4,  12, 3, 13, 2, 14, 1, 15};

// The depth of each used symbol's leaf in a Huffman tree of the frequencies (0 for unused symbols). Ties go
// to the lower node index, so the tree, and the file, depend on the data alone.
std::vector<uint8_t> tree_depths(const std::vector<uint64_t>& frequencies) {
  std::vector<int> parent;
  std::vector<int> leaf(frequencies.size(), -1);
  using Item = std::pair<uint64_t, int>;  // weight, node
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  for (size_t s = 0; s < frequencies.size(); ++s) {
    if (frequencies[s] == 0) continue;
    leaf[s] = static_cast<int>(parent.size());
    heap.emplace(frequencies[s], leaf[s]);
    parent.push_back(-1);
  }
  while (heap.size() > 1) {
    const Item a = heap.top();
    heap.pop();
    const Item b = heap.top();
    heap.pop();
    const int node = static_cast<int>(parent.size());
    parent.push_back(-1);
    parent[static_cast<size_t>(a.second)] = node;
    parent[static_cast<size_t>(b.second)] = node;
    heap.emplace(a.first + b.first, node);
  }
  std::vector<uint8_t> depths(frequencies.size(), 0);
  for (size_t s = 0; s < frequencies.size(); ++s) {
    int d = 0;
    for (int n = leaf[s]; n >= 0 && parent[static_cast<size_t>(n)] >= 0; n = parent[static_cast<size_t>(n)])
      ++d;
    depths[s] = static_cast<uint8_t>(d);
  }
  return depths;
}

// Canonical codes for the lengths (RFC 1951, 3.2.2), bit-reversed: deflate sends a Huffman code from its most
// significant bit, into a stream that is filled from each byte's least significant bit.
std::vector<uint16_t> canonical_codes(const std::vector<uint8_t>& lengths) {
  std::array<int, kMaxCodeLength + 1> count{};
  for (const uint8_t l : lengths) ++count[l];
  count[0] = 0;
  std::array<int, kMaxCodeLength + 2> next{};
  for (int bits = 1, code = 0; bits <= kMaxCodeLength; ++bits) {
    code = (code + count[static_cast<size_t>(bits - 1)]) << 1;
    next[static_cast<size_t>(bits)] = code;
  }
  std::vector<uint16_t> codes(lengths.size(), 0);
  for (size_t s = 0; s < lengths.size(); ++s) {
    const int len = lengths[s];
    if (len == 0) continue;
    const int code = next[static_cast<size_t>(len)]++;
    int reversed = 0;
    for (int i = 0; i < len; ++i) reversed |= ((code >> i) & 1) << (len - 1 - i);
    codes[s] = static_cast<uint16_t>(reversed);
  }
  return codes;
}

// Bits into bytes from the least significant bit up, into a buffer sized beforehand.
class BitWriter {
 public:
  explicit BitWriter(uint8_t* out) : out_(out) {}
  void put(uint32_t bits, int count) {  // count <= 16
    add(bits, count);
    drain();
  }
  // Two codes of at most 15 bits between drains: under 32 bits pending plus 30 fit in the 64.
  void add(uint32_t bits, int count) {
    acc_ |= static_cast<uint64_t>(bits) << filled_;
    filled_ += count;
  }
  void drain() {
    if (filled_ >= 32) {
      for (int i = 0; i < 4; ++i) *out_++ = static_cast<uint8_t>(acc_ >> (8 * i));
      acc_ >>= 32;
      filled_ -= 32;
    }
  }
  uint8_t* flush() {  // the last partial byte padded with zeros; returns the end
    for (; filled_ > 0; filled_ -= 8, acc_ >>= 8) *out_++ = static_cast<uint8_t>(acc_);
    filled_ = 0;
    return out_;
  }

 private:
  uint8_t* out_;
  uint64_t acc_ = 0;
  int filled_ = 0;
};

// The dynamic block's header: counts, the code length code, and the literal and distance code lengths in it
// (no run-length symbols: 258 lengths cost some 150 bytes either way).
void put_block_header(BitWriter& w, const std::vector<uint8_t>& literal_lengths) {
  std::vector<uint8_t> all = literal_lengths;
  all.push_back(1);  // one distance code of one bit, never used: what zlib writes for literal-only data
  std::vector<uint64_t> frequencies(19, 0);
  for (const uint8_t l : all) ++frequencies[l];
  const std::vector<uint8_t> cl_lengths = detail::huffman_code_lengths(frequencies, kMaxCodeLengthCodeLength);
  const std::vector<uint16_t> cl_codes = canonical_codes(cl_lengths);
  int sent = 19;
  while (sent > 4 && cl_lengths[static_cast<size_t>(kCodeLengthOrder[static_cast<size_t>(sent - 1)])] == 0)
    --sent;
  w.put(1, 1);                                // BFINAL: the only block
  w.put(2, 2);                                // BTYPE 2: dynamic Huffman codes
  w.put(kLiteralCodes - 257, 5);              // HLIT
  w.put(0, 5);                                // HDIST: one distance code
  w.put(static_cast<uint32_t>(sent - 4), 4);  // HCLEN
  for (int i = 0; i < sent; ++i)
    w.put(cl_lengths[static_cast<size_t>(kCodeLengthOrder[static_cast<size_t>(i)])], 3);
  for (const uint8_t l : all) w.put(cl_codes[l], cl_lengths[l]);
}

}  // namespace

namespace detail {

std::vector<uint8_t> huffman_code_lengths(std::vector<uint64_t> frequencies, int max_length) {
  if (frequencies.size() < 2 || max_length < 1 || (size_t{1} << max_length) < frequencies.size())
    throw std::invalid_argument("huffman_code_lengths: the alphabet does not fit in max_length bits");
  size_t used = static_cast<size_t>(
      std::count_if(frequencies.begin(), frequencies.end(), [](uint64_t f) { return f > 0; }));
  for (size_t s = 0; used < 2 && s < frequencies.size(); ++s) {
    if (frequencies[s] == 0) {
      frequencies[s] = 1;
      ++used;
    }
  }
  while (true) {
    std::vector<uint8_t> lengths = tree_depths(frequencies);
    if (*std::max_element(lengths.begin(), lengths.end()) <= max_length) return lengths;
    // Too deep: flatten the distribution (every used symbol keeps a frequency of at least 1) and rebuild.
    // All frequencies equal give a balanced tree, which fits by the check above.
    for (uint64_t& f : frequencies)
      if (f > 0) f = (f + 1) / 2;
  }
}

}  // namespace detail

std::vector<uint8_t> zlib_compress_literals(std::span<const uint8_t> data) {
  std::vector<uint64_t> frequencies(kLiteralCodes, 0);
  for (const uint8_t b : data) ++frequencies[b];
  frequencies[kEndOfBlock] = 1;
  const std::vector<uint8_t> lengths = detail::huffman_code_lengths(frequencies, kMaxCodeLength);
  const std::vector<uint16_t> codes = canonical_codes(lengths);

  // zlib header, block header (under 300 bytes), at most 15 bits a literal, end of block, Adler-32.
  std::vector<uint8_t> out(2 + 300 + data.size() * 2 + 8 + 4);
  out[0] = 0x78;  // CMF: deflate, 32 KiB window
  out[1] = 0x01;  // FLG: fastest (FLEVEL 0), no dictionary; (0x78 * 256 + 0x01) % 31 == 0
  BitWriter w(out.data() + 2);
  put_block_header(w, lengths);
  // The hot loop: a literal's code and length from one table entry, two literals per drain.
  std::array<uint32_t, 256> table{};
  for (size_t s = 0; s < 256; ++s) table[s] = static_cast<uint32_t>(codes[s]) | (uint32_t{lengths[s]} << 16);
  size_t i = 0;
  for (; i + 2 <= data.size(); i += 2) {
    const uint32_t x = table[data[i]], y = table[data[i + 1]];
    w.add(x & 0xFFFF, static_cast<int>(x >> 16));
    w.add(y & 0xFFFF, static_cast<int>(y >> 16));
    w.drain();
  }
  if (i < data.size()) w.put(codes[data[i]], lengths[data[i]]);
  w.put(codes[kEndOfBlock], lengths[kEndOfBlock]);
  uint8_t* end = w.flush();
  const uint32_t adler = libdeflate_adler32(1, data.data(), data.size());
  for (int shift = 24; shift >= 0; shift -= 8) *end++ = static_cast<uint8_t>(adler >> shift);
  out.resize(static_cast<size_t>(end - out.data()));
  return out;
}

}  // namespace sinforge
