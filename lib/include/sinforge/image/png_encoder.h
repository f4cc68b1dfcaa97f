// PNG encoding of an RGB8 image: each row filtered, the filtered rows compressed into one zlib stream,
// written as the IHDR, IDAT and IEND chunks of an 8-bit truecolour, non-interlaced PNG. The level chooses the
// coder:
//   0      Paeth rows, literals under one dynamic Huffman code, no string search (literal_deflate.h): about
//          0.3 ms a 224 x 224 image, and on photographs and stylized images about as many bytes as Pillow's
//          zlib level 6 (a few percent either way; flat, synthetic images come out larger)
//   1..3   Up rows, libdeflate at that level;  4..12  Paeth rows, libdeflate at that level (12: smallest)
// Lossless at every level: any PNG decoder gives back the same pixels (tests/image/test_png_encoder.cpp). Why
// not libpng through OpenCV: its adaptive filter choice and zlib took 2.8 ms a 224 x 224 image
// (docs/PERFORMANCE.md). Thread-safe: each thread keeps its own libdeflate compressor per level.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace sinforge {

inline constexpr int kMinPngLevel = 0;
inline constexpr int kDefaultPngLevel = 0;
inline constexpr int kMaxPngLevel = 12;

// rgb: CV_8UC3, R, G, B in memory order, at least 1 x 1. level: kMinPngLevel .. kMaxPngLevel. Throws
// std::invalid_argument on anything else.
std::vector<uint8_t> encode_png(const cv::Mat& rgb, int level = kDefaultPngLevel);

}  // namespace sinforge
