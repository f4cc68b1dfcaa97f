// Random weights: the official layer table's shapes, He-scaled (std = sqrt(2 / fan_in)) with zero biases,
// the same for the same seed and different for another.
#include "sinforge/weights/random_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace sinforge {
namespace {

// (out, in) of the 3x3 convolutions, docs/REFERENCE.md section 1.
const std::vector<std::pair<int64_t, int64_t>> kEncoder = {
    {64, 3}, {64, 64}, {128, 64}, {128, 128}, {256, 128}, {256, 256}, {256, 256}, {256, 256}, {512, 256}};
const std::vector<std::pair<int64_t, int64_t>> kDecoder = {
    {256, 512}, {256, 256}, {256, 256}, {256, 256}, {128, 256}, {128, 128}, {64, 128}, {64, 64}, {3, 64}};

void expect_layers(const std::vector<ConvLayer>& convs,
                   const std::vector<std::pair<int64_t, int64_t>>& table) {
  ASSERT_EQ(convs.size(), table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    SCOPED_TRACE(i);
    const auto [out, in] = table[i];
    EXPECT_EQ(convs[i].weight.sizes(), at::IntArrayRef({out, in, 3, 3}));
    EXPECT_EQ(convs[i].bias.sizes(), at::IntArrayRef({out}));
    EXPECT_EQ(convs[i].weight.scalar_type(), at::kFloat);
    EXPECT_TRUE(convs[i].weight.is_contiguous());
    EXPECT_EQ(convs[i].bias.abs().max().item<float>(), 0.f);
    if (convs[i].weight.numel() >= 10000) {  // enough samples for the spread to be close
      const double expected = std::sqrt(2.0 / static_cast<double>(in * 9));
      EXPECT_NEAR(convs[i].weight.std().item<double>() / expected, 1.0, 0.05);
    }
  }
}

TEST(RandomWeights, TheOfficialShapesHeScaled) {
  const EncoderWeights e = random_encoder_weights(1);
  EXPECT_EQ(e.input_1x1.weight.sizes(), at::IntArrayRef({3, 3, 1, 1}));
  EXPECT_EQ(e.input_1x1.bias.sizes(), at::IntArrayRef({3}));
  expect_layers(e.convs, kEncoder);
  expect_layers(random_decoder_weights(2).convs, kDecoder);
}

TEST(RandomWeights, TheSeedDecides) {
  const EncoderWeights a = random_encoder_weights(5), b = random_encoder_weights(5),
                       c = random_encoder_weights(6);
  for (size_t i = 0; i < a.convs.size(); ++i) {
    EXPECT_TRUE(at::equal(a.convs[i].weight, b.convs[i].weight)) << i;
    EXPECT_FALSE(at::equal(a.convs[i].weight, c.convs[i].weight)) << i;
  }
  EXPECT_TRUE(
      at::equal(random_decoder_weights(7).convs[8].weight, random_decoder_weights(7).convs[8].weight));
}

}  // namespace
}  // namespace sinforge
