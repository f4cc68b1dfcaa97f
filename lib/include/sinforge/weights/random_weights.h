// Random AdaIN weights with the official layer shapes (docs/REFERENCE.md section 1), for benchmarks and tests
// that need no weight files: He-scaled normal weights (std = sqrt(2 / fan_in)), zero biases.
#pragma once

#include <cstdint>

#include "sinforge/weights/weights.h"

namespace sinforge {

EncoderWeights random_encoder_weights(uint64_t seed);
DecoderWeights random_decoder_weights(uint64_t seed);

}  // namespace sinforge
