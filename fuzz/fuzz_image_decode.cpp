// Image decoding by content (image/image_io.h), full and reduced: any bytes decode to an RGB image within
// the pixel cap or throw DecodeError, never anything else.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  // A small cap keeps a header that claims a huge image from costing the fuzzer seconds per input.
  const sinforge::DecodeLimits limits{1 << 22};
  for (const int min_side : {0, 16}) {
    try {
      const cv::Mat m = sinforge::decode_image_reduced(bytes, "fuzz", min_side, limits);
      if (m.type() != CV_8UC3 || m.empty() || static_cast<int64_t>(m.total()) > limits.max_pixels)
        __builtin_trap();
    } catch (const sinforge::DecodeError&) {
    }
  }
  return 0;
}
