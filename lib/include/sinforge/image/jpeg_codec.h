// JPEG decoding and encoding through libjpeg-turbo's libjpeg API, straight into and out of RGB (its
// JCS_EXT_RGB extension): the library, the IDCT (islow), the fancy upsampling and the encoder defaults
// (jpeg_set_defaults: 4:2:0, baseline, no optimised tables) are the ones OpenCV 4.6 uses underneath, so the
// pixels and the bytes are OpenCV's (tests/image/test_jpeg_codec.cpp compares them), without its BGR
// round trip and per-call decoder setup: about a quarter less time a photo (docs/PERFORMANCE.md).
// Thread-safe: every call has its own libjpeg state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace sinforge {

// The image of a JPEG whose header has been checked (image_io.cpp's probe), at 1/reduction scale (1, 2, 4
// or 8, computed in the DCT domain as libjpeg scales). Grayscale comes back replicated to RGB. nullopt for a
// four-component (CMYK, YCCK) file, which the caller decodes another way. Throws DecodeError naming
// name_for_errors with libjpeg's own reason when the decoder rejects the data; warnings (corrupt entropy
// data, a premature end) keep what was decoded, as OpenCV and PIL's LOAD_TRUNCATED_IMAGES do.
std::optional<cv::Mat> decode_jpeg_rgb(std::span<const uint8_t> bytes, int reduction,
                                       const std::string& name_for_errors);

// A baseline JFIF file of an RGB8 image (CV_8UC3, R first) at quality 1..100, 4:2:0. Throws
// std::invalid_argument on a bad image or quality, std::runtime_error when libjpeg fails (a side over
// 65,500).
std::vector<uint8_t> encode_jpeg(const cv::Mat& rgb, int quality);

}  // namespace sinforge
