// The official AdaIN weights (pytorch-AdaIN release v0.0.0), read and checked against the layer table of
// docs/REFERENCE.md section 1. Both torch.save formats are accepted (see state_dict.h).
#pragma once

#include <ATen/ATen.h>

#include <filesystem>
#include <string>
#include <vector>

namespace sinforge {

struct ConvLayer {
  at::Tensor weight;  // float32, CPU, contiguous; [out, in, kh, kw]
  at::Tensor bias;    // float32, CPU, contiguous; [out]
};

// vgg_normalised.pth, modules 0..30 (up to relu4_1).
struct EncoderWeights {
  ConvLayer input_1x1;           // key "0": weight [3,3,1,1], bias [3]
  std::vector<ConvLayer> convs;  // keys 2,5,9,12,16,19,22,25,29 in this order (all 3x3)
};

// decoder.pth.
struct DecoderWeights {
  std::vector<ConvLayer> convs;  // keys 1,5,8,11,14,18,21,25,28 in this order (all 3x3)
};

// Both throw WeightsError naming the file: unreadable or truncated file, another architecture, the other
// AdaIN file passed by mistake, a missing or unexpected key, a wrong shape or dtype (naming the key).
// The VGG file must hold keys 0..29; keys 32..51 (the rest of VGG-19, unused) may be present, with the
// right shapes. The decoder's key set must be exact.
EncoderWeights load_encoder_weights(const std::filesystem::path& vgg_file);
DecoderWeights load_decoder_weights(const std::filesystem::path& decoder_file);

// Lower-case hex SHA-256 of a file's bytes; throws WeightsError when it cannot be read.
std::string sha256_hex(const std::filesystem::path& file);

}  // namespace sinforge
