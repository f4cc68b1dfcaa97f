#include "sinforge/weights/random_weights.h"

#include <cmath>
#include <utility>
#include <vector>

namespace sinforge {
namespace {

ConvLayer random_conv(int64_t out, int64_t in, int64_t k, at::Generator& gen) {
  const double he = std::sqrt(2.0 / static_cast<double>(in * k * k));
  ConvLayer layer;
  layer.weight = at::normal(0.0, he, {out, in, k, k}, gen).contiguous();
  layer.bias = at::zeros({out}, at::kFloat);
  return layer;
}

}  // namespace

EncoderWeights random_encoder_weights(uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  EncoderWeights w;
  w.input_1x1 = random_conv(3, 3, 1, gen);
  const std::vector<std::pair<int64_t, int64_t>> convs = {
      {3, 64}, {64, 64}, {64, 128}, {128, 128}, {128, 256}, {256, 256}, {256, 256}, {256, 256}, {256, 512}};
  for (const auto& [in, out] : convs) w.convs.push_back(random_conv(out, in, 3, gen));
  return w;
}

DecoderWeights random_decoder_weights(uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  DecoderWeights w;
  const std::vector<std::pair<int64_t, int64_t>> convs = {
      {512, 256}, {256, 256}, {256, 256}, {256, 256}, {256, 128}, {128, 128}, {128, 64}, {64, 64}, {64, 3}};
  for (const auto& [in, out] : convs) w.convs.push_back(random_conv(out, in, 3, gen));
  return w;
}

}  // namespace sinforge
