// The AdaIN network's weights as read from vgg_normalised.pth and decoder.pth (see weights/README.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace sinforge {

struct ConvLayer {
  at::Tensor weight;  // float32, CPU, contiguous, [out, in, kh, kw]
  at::Tensor bias;    // float32, CPU, [out]
};

struct EncoderWeights {          // vgg_normalised.pth, modules 0..30 (up to relu4_1)
  ConvLayer input_1x1;           // key "0": weight [3,3,1,1], bias [3]
  std::vector<ConvLayer> convs;  // keys 2,5,9,12,16,19,22,25,29 in this order (all 3x3)
};

struct DecoderWeights {
  std::vector<ConvLayer> convs;  // keys 1,5,8,11,14,18,21,25,28 in this order (all 3x3)
};

EncoderWeights load_encoder_weights(const std::filesystem::path& vgg_file);      // throws WeightsError
DecoderWeights load_decoder_weights(const std::filesystem::path& decoder_file);  // throws WeightsError
std::string sha256_hex(const std::filesystem::path& file);

}  // namespace sinforge
