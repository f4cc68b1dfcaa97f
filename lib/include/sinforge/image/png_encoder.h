// PNG encoding of an RGB8 image: each row filtered (PNG filter type Up, or Paeth from level 4 up), the
// filtered rows compressed into one zlib stream by libdeflate at the given level (1 fastest .. 12 smallest),
// written as the IHDR, IDAT and IEND chunks of an 8-bit truecolour, non-interlaced PNG. Lossless: any PNG
// decoder gives back the same pixels (tests/image/test_png_encoder.cpp). Why not libpng through OpenCV: its
// adaptive filter choice and zlib took 2.8 ms a 224 x 224 image against about 1 ms here at the same size
// (docs/PERFORMANCE.md). Thread-safe: each thread keeps its own compressor per level.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace sinforge {

inline constexpr int kDefaultPngLevel = 1;
inline constexpr int kMaxPngLevel = 12;

// rgb: CV_8UC3, R, G, B in memory order, at least 1 x 1. level: 1 .. kMaxPngLevel. Throws
// std::invalid_argument on anything else.
std::vector<uint8_t> encode_png(const cv::Mat& rgb, int level = kDefaultPngLevel);

}  // namespace sinforge
