// The random draws of `sinforge derive`. Every draw is a function of the seed and a key naming the image
// (its relative path), the variant, its level and the copy, so any shard, rerun or subset of a derived set
// draws the same: nothing depends on the order images are done in or on what else is in the run.
//
// The stream: state = stable_hash(key, seed) (pairing.h), then SplitMix64 steps (state += golden gamma, the
// output is the finalised state). uniform() takes an output's top 53 bits as a double in [0, 1); below(n)
// is floor(uniform() * n). docs/REFERENCE.md gives the rule, so that a reference written from it (the
// Python one in tests/reference/) draws the same numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sinforge {

// "<relative path>|<variant>|<level>|<copy>": what a draw stream is keyed by.
std::string draw_key(const std::string& relative_path, const std::string& variant, const std::string& level,
                     int copy);

class DrawStream {
 public:
  DrawStream(uint64_t seed, const std::string& key);
  uint64_t next();
  double uniform();        // [0, 1)
  size_t below(size_t n);  // [0, n); n >= 1

 private:
  uint64_t state_;
};

// A uniformly random permutation of 0..n-1: Fisher-Yates from the last position down, position i swapped
// with below(i + 1).
std::vector<int> random_permutation(DrawStream& draws, int n);

}  // namespace sinforge
