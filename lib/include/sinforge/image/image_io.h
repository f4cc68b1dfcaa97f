// Decoding and encoding images. Every image in the library is an RGB uint8 cv::Mat (CV_8UC3, R first).
// Decoding follows PIL's Image.open(p).convert('RGB') as the reference tools used it: the format is told
// by content, EXIF orientation is ignored, grayscale is replicated, alpha is dropped (not composited).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "sinforge/image/png_encoder.h"

namespace sinforge {

struct DecodeLimits {
  // Largest width * height accepted, checked from the file's header before any pixel is allocated.
  // PIL's Image.MAX_IMAGE_PIXELS (it raises DecompressionBombError at twice that; here the cap is hard).
  int64_t max_pixels = 178956970;
};

// Decodes JPEG (libjpeg straight into RGB, jpeg_codec.h; CMYK through OpenCV), and PNG, BMP, TIFF, WebP and
// PNM through OpenCV (other bytes never reach OpenCV: some of its decoders abort on crafted input). Throws
// DecodeError naming name_for_errors and the reason (empty, truncated, not an image, over the pixel cap).
cv::Mat decode_image(std::span<const uint8_t> bytes, const std::string& name_for_errors,
                     const DecodeLimits& limits = {});
// Reads the whole file and decodes it. A file that cannot be read for a reason of its own (gone, not
// permitted, not a regular file: a FIFO, socket or device is refused unread) also throws DecodeError; a
// failure of the moment (EMFILE, ENOMEM, EIO, ...) throws std::system_error instead, since a skip would be
// permanent and a rerun can succeed.
cv::Mat read_image(const std::filesystem::path& path, const DecodeLimits& limits = {});

// An image's stored size, from its header when it is a JPEG or PNG whose header lies in the file's first
// 64 KiB, else from a (reduced) decode: cheap enough to check the size of every painting. nullopt when the
// file cannot be read or decoded.
std::optional<cv::Size> read_image_size(const std::filesystem::path& path);

// Why a file of this st_mode is no image to open: "not a regular file (a FIFO): not opened".
std::string special_file_reason(unsigned mode);

// The largest libjpeg DCT scaling (1, 2, 4 or 8) that keeps a width x height JPEG at least min_side pixels
// on both sides once decoded (libjpeg rounds the scaled size up). min_side 0: 1 (full size).
int jpeg_reduction(int64_t width, int64_t height, int min_side);

// As decode_image/read_image, but a JPEG is decoded at reduced scale (1/2, 1/4 or 1/8, which libjpeg
// computes in the DCT domain) when it stays at least min_side on both sides: a painting of
// tens of megapixels that the recipe shrinks anyway then costs a fraction of the time and memory. The
// result is not bit-exact with a full decode followed by the same resize (close: see the README). Other
// formats decode at full size. The pixel cap applies to the file's full size, read from its header.
cv::Mat decode_image_reduced(std::span<const uint8_t> bytes, const std::string& name_for_errors, int min_side,
                             const DecodeLimits& limits = {});
cv::Mat read_image_reduced(const std::filesystem::path& path, int min_side, const DecodeLimits& limits = {});

enum class ImageFormat { kJpeg, kPng };

// How result images are encoded: the format and its one knob. Neither knob changes which pixels a PNG holds;
// png_level trades its bytes for encoding time (png_encoder.h: 0 fastest .. 12 smallest).
struct EncodeOptions {
  ImageFormat format = ImageFormat::kJpeg;
  int jpeg_quality = 75;  // 1..100, Pillow's default
  int png_level = kDefaultPngLevel;
};

// JPEG: baseline, 4:2:0 chroma subsampling (Pillow's default), quality 1..100 (Pillow's default is 75),
// through libjpeg (jpeg_codec.h).
// PNG: lossless, 8-bit RGB. Throws std::invalid_argument on a non-RGB8 image or a knob out of its range.
std::vector<uint8_t> encode_image(const cv::Mat& rgb, const EncodeOptions& options);
// The same at PNG level kDefaultPngLevel; jpeg_quality is ignored for PNG.
std::vector<uint8_t> encode_image(const cv::Mat& rgb, ImageFormat format, int jpeg_quality = 75);

}  // namespace sinforge
