#include "sinforge/weights/weights.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sinforge/core/error.h"
#include "sinforge/weights/state_dict.h"

namespace sinforge {

namespace {

struct ConvSpec {
  int index;
  std::int64_t out, in, k;
  bool required;
};

// vgg_normalised.pth: VGG-19 up to relu5_4. The encoder uses 0..29; 32..51 are optional.
constexpr std::array<ConvSpec, 17> kVgg = {{
    {0, 3, 3, 1, true},
    {2, 64, 3, 3, true},
    {5, 64, 64, 3, true},
    {9, 128, 64, 3, true},
    {12, 128, 128, 3, true},
    {16, 256, 128, 3, true},
    {19, 256, 256, 3, true},
    {22, 256, 256, 3, true},
    {25, 256, 256, 3, true},
    {29, 512, 256, 3, true},
    {32, 512, 512, 3, false},
    {35, 512, 512, 3, false},
    {38, 512, 512, 3, false},
    {42, 512, 512, 3, false},
    {45, 512, 512, 3, false},
    {48, 512, 512, 3, false},
    {51, 512, 512, 3, false},
}};

constexpr std::array<ConvSpec, 9> kDecoder = {{
    {1, 256, 512, 3, true},
    {5, 256, 256, 3, true},
    {8, 256, 256, 3, true},
    {11, 256, 256, 3, true},
    {14, 128, 256, 3, true},
    {18, 128, 128, 3, true},
    {21, 64, 128, 3, true},
    {25, 64, 64, 3, true},
    {28, 3, 64, 3, true},
}};

std::string shape_text(at::IntArrayRef shape) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << "]";
  return out.str();
}

struct Expected {
  std::vector<std::int64_t> shape;
  bool required;
};

template <std::size_t N>
std::map<std::string, Expected> expected_keys(const std::array<ConvSpec, N>& table) {
  std::map<std::string, Expected> out;
  for (const auto& c : table) {
    const std::string i = std::to_string(c.index);
    out[i + ".weight"] = {{c.out, c.in, c.k, c.k}, c.required};
    out[i + ".bias"] = {{c.out}, c.required};
  }
  return out;
}

using Lookup = std::map<std::string, at::Tensor>;

bool has_shape(const Lookup& sd, const std::string& key, std::vector<std::int64_t> shape) {
  const auto it = sd.find(key);
  return it != sd.end() && it->second.sizes() == at::IntArrayRef(shape);
}

// Keys all within `table`'s set and its first conv in place with the right shape.
template <std::size_t N>
bool looks_like(const Lookup& sd, const std::array<ConvSpec, N>& table) {
  const auto keys = expected_keys(table);
  for (const auto& [k, t] : sd)
    if (!keys.count(k)) return false;
  const auto& first = table[0];
  return has_shape(sd, std::to_string(first.index) + ".weight", {first.out, first.in, first.k, first.k});
}

std::string key_list(const std::vector<std::string>& keys) {
  std::string out;
  for (std::size_t i = 0; i < keys.size() && i < 6; ++i) out += (i ? ", '" : "'") + keys[i] + "'";
  if (keys.size() > 6) out += " and " + std::to_string(keys.size() - 6) + " more";
  return out;
}

// Checks the state dict against `table`; returns it by key.
template <std::size_t N, std::size_t M>
Lookup validate(const std::filesystem::path& file, const std::array<ConvSpec, N>& table, const char* what,
                const std::array<ConvSpec, M>& other, const char* other_what) {
  const std::string where = file.string();
  StateDict sd = load_state_dict(file);
  Lookup by_key;
  for (auto& [k, t] : sd) by_key.emplace(k, std::move(t));
  if (by_key.empty())
    throw WeightsError(where + ": holds an empty state dict, expected the " + std::string(what));

  const auto keys = expected_keys(table);
  std::vector<std::string> unexpected, missing;
  for (const auto& [k, t] : by_key)
    if (!keys.count(k)) unexpected.push_back(k);
  for (const auto& [k, e] : keys)
    if (e.required && !by_key.count(k)) missing.push_back(k);
  if (!unexpected.empty() || !missing.empty()) {
    if (looks_like(by_key, other))
      throw WeightsError(where + ": looks like the " + std::string(other_what) + ", not the " + what +
                         ": check which file goes to which flag");
    std::string msg = where + ": not the " + what + " (another architecture?):";
    if (!unexpected.empty()) msg += " unexpected keys " + key_list(unexpected) + ";";
    if (!missing.empty()) msg += " missing keys " + key_list(missing) + ";";
    msg += " the file holds " + std::to_string(by_key.size()) + " tensors";
    throw WeightsError(msg);
  }
  for (const auto& [k, t] : by_key) {
    const Expected& e = keys.at(k);
    if (t.scalar_type() != at::kFloat)
      throw WeightsError(where + ": key '" + k + "' has dtype " +
                         std::string(c10::toString(t.scalar_type())) + ", expected Float (float32)");
    if (t.sizes() != at::IntArrayRef(e.shape))
      throw WeightsError(where + ": key '" + k + "' has shape " + shape_text(t.sizes()) + ", expected " +
                         shape_text(e.shape));
  }
  return by_key;
}

ConvLayer take_conv(Lookup& sd, int index) {
  const std::string i = std::to_string(index);
  return {std::move(sd.at(i + ".weight")), std::move(sd.at(i + ".bias"))};
}

// SHA-256 (FIPS 180-4).
class Sha256 {
 public:
  void update(const unsigned char* data, std::size_t n) {
    length_ += n;
    while (n > 0) {
      const std::size_t take = std::min(n, block_.size() - fill_);
      std::memcpy(block_.data() + fill_, data, take);
      fill_ += take;
      data += take;
      n -= take;
      if (fill_ == block_.size()) {
        compress(block_.data());
        fill_ = 0;
      }
    }
  }
  std::string hex() {
    const std::uint64_t bits = length_ * 8;
    const unsigned char pad = 0x80;
    update(&pad, 1);
    const unsigned char zero = 0;
    while (fill_ != 56) update(&zero, 1);
    std::array<unsigned char, 8> len{};
    for (int i = 0; i < 8; ++i)
      len[static_cast<std::size_t>(i)] = static_cast<unsigned char>(bits >> (56 - 8 * i));
    update(len.data(), len.size());
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::uint32_t word : h_)
      for (int shift = 28; shift >= 0; shift -= 4) out += digits[(word >> shift) & 15];
    return out;
  }

 private:
  static std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  void compress(const unsigned char* p) {
    static constexpr std::array<std::uint32_t, 64> k = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    std::array<std::uint32_t, 64> w{};
    for (std::size_t i = 0; i < 16; ++i)
      w[i] = (std::uint32_t{p[4 * i]} << 24) | (std::uint32_t{p[4 * i + 1]} << 16) |
             (std::uint32_t{p[4 * i + 2]} << 8) | std::uint32_t{p[4 * i + 3]};
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, h] = h_;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t t1 =
          h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, h};
    for (std::size_t i = 0; i < 8; ++i) h_[i] += add[i];
  }

  std::array<std::uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<unsigned char, 64> block_{};
  std::size_t fill_ = 0;
  std::uint64_t length_ = 0;
};

}  // namespace

EncoderWeights load_encoder_weights(const std::filesystem::path& vgg_file) {
  Lookup sd = validate(vgg_file, kVgg, "VGG encoder file (vgg_normalised.pth)", kDecoder,
                       "decoder file (decoder.pth)");
  EncoderWeights out;
  out.input_1x1 = take_conv(sd, 0);
  for (int index : {2, 5, 9, 12, 16, 19, 22, 25, 29}) out.convs.push_back(take_conv(sd, index));
  return out;
}

DecoderWeights load_decoder_weights(const std::filesystem::path& decoder_file) {
  Lookup sd = validate(decoder_file, kDecoder, "decoder file (decoder.pth)", kVgg,
                       "VGG encoder file (vgg_normalised.pth)");
  DecoderWeights out;
  for (const auto& c : kDecoder) out.convs.push_back(take_conv(sd, c.index));
  return out;
}

std::string sha256_hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw WeightsError(file.string() + ": cannot open the file to compute its SHA-256");
  Sha256 sha;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    sha.update(reinterpret_cast<const unsigned char*>(buffer.data()), n);
  }
  if (in.bad()) throw WeightsError(file.string() + ": read error while computing its SHA-256");
  return sha.hex();
}

}  // namespace sinforge
