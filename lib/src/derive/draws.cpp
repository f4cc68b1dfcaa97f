#include "sinforge/derive/draws.h"

#include <numeric>
#include <utility>

#include "sinforge/plan/pairing.h"

namespace sinforge {

std::string draw_key(const std::string& relative_path, const std::string& variant, const std::string& level,
                     int copy) {
  return relative_path + "|" + variant + "|" + level + "|" + std::to_string(copy);
}

DrawStream::DrawStream(uint64_t seed, const std::string& key) : state_(stable_hash(key, seed)) {}

uint64_t DrawStream::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double DrawStream::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

size_t DrawStream::below(size_t n) {
  const auto i = static_cast<size_t>(uniform() * static_cast<double>(n));
  return i < n ? i : n - 1;  // uniform() < 1, so never taken; kept against a rounding surprise
}

std::vector<int> random_permutation(DrawStream& draws, int n) {
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (size_t i = order.size(); i-- > 1;) std::swap(order[i], order[draws.below(i + 1)]);
  return order;
}

}  // namespace sinforge
