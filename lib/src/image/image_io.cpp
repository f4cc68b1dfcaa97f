#include "sinforge/image/image_io.h"
#include "sinforge/image/jpeg_codec.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <system_error>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"

namespace sinforge {
namespace {

enum class Container { kJpeg, kPng, kOther };

// What the header says, read without decoding: enough to apply the pixel cap before OpenCV allocates.
struct HeaderInfo {
  Container container = Container::kOther;
  int64_t width = 0;
  int64_t height = 0;
  int png_bit_depth = 0;
  int png_color_type = -1;
  bool jpeg_has_eoi = false;  // an EOI marker after the first SOS: the entropy-coded data is complete
};

uint32_t be16(std::span<const uint8_t> b, size_t at) { return (uint32_t{b[at]} << 8) | b[at + 1]; }
uint32_t be32(std::span<const uint8_t> b, size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }

bool is_sof(uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Walks the JPEG marker segments up to the first SOS. Every read is bounds-checked; a header that runs past
// the end of the data is reported as truncated.
HeaderInfo probe_jpeg(std::span<const uint8_t> b, const std::string& name) {
  HeaderInfo info;
  info.container = Container::kJpeg;
  size_t pos = 2;
  bool have_sof = false;
  while (true) {
    while (pos < b.size() && b[pos] == 0xFF && pos + 1 < b.size() && b[pos + 1] == 0xFF) ++pos;  // fill bytes
    if (pos + 2 > b.size()) throw DecodeError(str_cat(name, ": truncated JPEG (header ends early)"));
    if (b[pos] != 0xFF)
      throw DecodeError(str_cat(name, ": corrupt JPEG (marker expected at byte ", pos, ")"));
    const uint8_t marker = b[pos + 1];
    pos += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // standalone markers
    if (marker == 0xD9) throw DecodeError(str_cat(name, ": corrupt JPEG (end of image before any scan)"));
    if (pos + 2 > b.size()) throw DecodeError(str_cat(name, ": truncated JPEG (header ends early)"));
    const size_t length = be16(b, pos);
    if (length < 2) throw DecodeError(str_cat(name, ": corrupt JPEG (segment length ", length, ")"));
    if (pos + length > b.size()) throw DecodeError(str_cat(name, ": truncated JPEG (header ends early)"));
    if (is_sof(marker) && !have_sof) {
      if (length < 8) throw DecodeError(str_cat(name, ": corrupt JPEG (short frame header)"));
      info.height = be16(b, pos + 3);
      info.width = be16(b, pos + 5);
      have_sof = true;
    }
    pos += length;
    if (marker == 0xDA) break;  // SOS: entropy-coded data follows
  }
  if (!have_sof) throw DecodeError(str_cat(name, ": corrupt JPEG (no frame header before the scan)"));
  // Inside entropy-coded data a 0xFF byte is followed by 0x00 (stuffing) or a marker, so the first FF D9 from
  // here on is the end of the image. libjpeg pads a file without it with grey and only warns; PIL raises
  // "image file is truncated". Trailing bytes after EOI are allowed (some cameras write them).
  for (size_t i = pos; i + 1 < b.size(); ++i) {
    if (b[i] == 0xFF && b[i + 1] == 0xD9) {
      info.jpeg_has_eoi = true;
      break;
    }
  }
  return info;
}

HeaderInfo probe_png(std::span<const uint8_t> b, const std::string& name) {
  HeaderInfo info;
  info.container = Container::kPng;
  // signature (8), IHDR length (4), "IHDR" (4), width, height, bit depth, colour type ...
  if (b.size() < 8 + 8 + 13) throw DecodeError(str_cat(name, ": truncated PNG (header ends early)"));
  if (std::memcmp(b.data() + 12, "IHDR", 4) != 0)
    throw DecodeError(str_cat(name, ": corrupt PNG (no IHDR chunk)"));
  info.width = be32(b, 16);
  info.height = be32(b, 20);
  info.png_bit_depth = b[24];
  info.png_color_type = b[25];
  return info;
}

// The other formats handed to OpenCV, by their magic bytes: BMP, TIFF (both byte orders), WebP, PNM (P1-P6).
// Anything else never reaches imdecode: OpenCV would try each of its decoders on it, and some (GDCM's
// DICOM, found by fuzz/fuzz_image_decode) abort the process on crafted input instead of failing.
bool is_other_known_format(std::span<const uint8_t> b) {
  const auto starts = [&](const char* magic, size_t n) {
    return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
  };
  if (starts("BM", 2) || starts("II*\0", 4) || starts("MM\0*", 4)) return true;
  if (b.size() >= 12 && starts("RIFF", 4) && std::memcmp(b.data() + 8, "WEBP", 4) == 0) return true;
  return b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6';
}

HeaderInfo probe(std::span<const uint8_t> b, const std::string& name) {
  static constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return probe_jpeg(b, name);
  if (b.size() >= 8 && std::memcmp(b.data(), kPngSignature, 8) == 0) return probe_png(b, name);
  if (!is_other_known_format(b))
    throw DecodeError(str_cat(name, ": not a readable image (not JPEG, PNG, BMP, TIFF, WebP or PNM)"));
  return {};
}

cv::Mat decode_with_opencv(std::span<const uint8_t> bytes, int flags, const std::string& name) {
  // imdecode does not write to its input; the const_cast only satisfies the Mat constructor.
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<uint8_t*>(bytes.data()));
  try {
    return cv::imdecode(buffer, flags);
  } catch (const cv::Exception& e) {
    throw DecodeError(str_cat(name, ": cannot decode (", e.err, ")"));
  }
}

// Errors that belong to the file itself, and stay on a rerun: it is gone, not permitted, or not a file.
// Anything else (EMFILE, ENOMEM, EIO, a stale NFS handle) is the machine's trouble of the moment: a skip
// would be permanent (resume never retries a recorded skip), so it stops the run instead.
bool is_the_files_own_error(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case EACCES:
    case EPERM:
    case ELOOP:
    case ENAMETOOLONG:
    case EISDIR:
    case ENXIO:  // a socket, or a device without its driver
      return true;
    default:
      return false;
  }
}

[[noreturn]] void throw_read_error(const std::filesystem::path& path, const char* what, int err) {
  const std::string message = str_cat(path.string(), ": ", what, " (", std::strerror(err), ")");
  if (is_the_files_own_error(err)) throw DecodeError(message);
  throw std::system_error(err, std::generic_category(), message);
}

// The file's bytes, or its first max_bytes.
std::vector<uint8_t> read_file_bytes(const std::filesystem::path& path, size_t max_bytes = SIZE_MAX) {
  // O_NONBLOCK: a FIFO put in place of a file after the scan must not block the open (regular files ignore
  // the flag); fstat then refuses anything but a regular file, unread.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw_read_error(path, "cannot open", errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_read_error(path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) throw DecodeError(str_cat(path.string(), ": ", special_file_reason(st.st_mode)));
  std::vector<uint8_t> bytes(std::min(static_cast<size_t>(st.st_size), max_bytes));
  size_t done = 0;
  while (done < max_bytes) {
    if (done == bytes.size()) bytes.resize(std::min(bytes.size() + 65536, max_bytes));  // the file grew
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_read_error(path, "read error", errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

int reduced_color_flag(int reduction) {
  switch (reduction) {
    case 2:
      return cv::IMREAD_REDUCED_COLOR_2;
    case 4:
      return cv::IMREAD_REDUCED_COLOR_4;
    case 8:
      return cv::IMREAD_REDUCED_COLOR_8;
    default:
      return cv::IMREAD_COLOR;
  }
}

// decode_image with an optional JPEG reduction (min_side 0: none).
cv::Mat decode(std::span<const uint8_t> bytes, const std::string& name, const DecodeLimits& limits,
               int min_side) {
  if (bytes.empty()) throw DecodeError(str_cat(name, ": empty file"));
  if (bytes.size() > static_cast<size_t>(INT32_MAX))
    throw DecodeError(str_cat(name, ": file too large (>2 GiB)"));
  const HeaderInfo info = probe(bytes, name);
  if (info.container != Container::kOther) {
    if (info.width <= 0 || info.height <= 0) {
      throw DecodeError(str_cat(name, ": corrupt image header (size ", info.width, "x", info.height, ")"));
    }
    // Divided, not multiplied: a PNG's sides reach 2^32 - 1 each, whose product overflows int64 (found by
    // fuzz/fuzz_image_decode). Sides are positive here, so w * h > cap exactly when h > cap / w.
    if (info.height > limits.max_pixels / info.width) {
      const std::string pixels = info.width <= INT64_MAX / info.height
                                     ? std::to_string(info.width * info.height)
                                     : std::string("over 2^63");
      throw DecodeError(str_cat(name, ": ", info.width, "x", info.height, " = ", pixels,
                                " pixels exceeds the limit of ", limits.max_pixels, " pixels"));
    }
  }
  if (info.container == Container::kJpeg && !info.jpeg_has_eoi) {
    throw DecodeError(str_cat(name, ": truncated JPEG (no end-of-image marker)"));
  }

  cv::Mat decoded;
  if (info.container == Container::kPng && info.png_bit_depth == 16 && info.png_color_type == 0) {
    // 16-bit grayscale: PIL opens it as mode I;16 and convert('RGB') saturates each value at 255 (it does not
    // scale). Every other 16-bit PNG PIL reduces to its high byte, which is what libpng's strip gives below.
    cv::Mat gray16 = decode_with_opencv(bytes, cv::IMREAD_ANYDEPTH | cv::IMREAD_GRAYSCALE, name);
    if (!gray16.empty() && gray16.depth() == CV_16U && gray16.channels() == 1) {
      cv::Mat gray8;
      gray16.convertTo(gray8, CV_8U);  // saturate_cast: min(v, 255)
      cv::cvtColor(gray8, decoded, cv::COLOR_GRAY2RGB);
      return decoded;
    }
    throw DecodeError(str_cat(name, ": corrupt or truncated PNG"));
  }
  const int reduction =
      info.container == Container::kJpeg ? jpeg_reduction(info.width, info.height, min_side) : 1;
  if (info.container == Container::kJpeg) {
    // libjpeg straight into RGB (jpeg_codec.h); a CMYK or YCCK file goes on to OpenCV, which converts it.
    std::optional<cv::Mat> rgb = decode_jpeg_rgb(bytes, reduction, name);
    if (rgb) return *std::move(rgb);
  }
  decoded = decode_with_opencv(bytes, reduced_color_flag(reduction) | cv::IMREAD_IGNORE_ORIENTATION, name);
  if (decoded.empty()) {
    switch (info.container) {
      case Container::kJpeg:
        throw DecodeError(str_cat(name, ": corrupt JPEG (the decoder rejected it)"));
      case Container::kPng:
        throw DecodeError(str_cat(name, ": corrupt or truncated PNG"));
      case Container::kOther:
        break;
    }
    throw DecodeError(str_cat(name, ": not a readable image (unknown format or corrupt data)"));
  }
  if (decoded.type() != CV_8UC3)
    throw DecodeError(str_cat(name, ": unexpected decoded type ", decoded.type()));
  if (info.container == Container::kOther && static_cast<int64_t>(decoded.total()) > limits.max_pixels) {
    // Formats without a probe here (BMP, TIFF, WebP, ...) are capped after decoding; OpenCV's own cap
    // (CV_IO_MAX_IMAGE_PIXELS, 2^30 by default) bounds the allocation before that.
    throw DecodeError(str_cat(name, ": ", decoded.cols, "x", decoded.rows, " pixels exceeds the limit of ",
                              limits.max_pixels, " pixels"));
  }
  cv::cvtColor(decoded, decoded, cv::COLOR_BGR2RGB);
  return decoded;
}

}  // namespace

std::optional<cv::Size> read_image_size(const std::filesystem::path& path) {
  constexpr size_t kPrefix = 65536;
  try {
    const std::vector<uint8_t> prefix = read_file_bytes(path, kPrefix);
    try {
      const HeaderInfo info = probe(prefix, path.string());
      if (info.container != Container::kOther && info.width > 0 && info.height > 0)
        return cv::Size(static_cast<int>(info.width), static_cast<int>(info.height));
    } catch (const DecodeError&) {
      // a header longer than the prefix, or a broken one: the decode below decides
    }
    const cv::Mat decoded = decode(read_file_bytes(path), path.string(), {}, 0);
    return decoded.size();
  } catch (const DecodeError&) {
    return std::nullopt;
  }
}

std::string special_file_reason(unsigned mode) {
  const char* kind = S_ISFIFO(mode)   ? "a FIFO"
                     : S_ISSOCK(mode) ? "a socket"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISDIR(mode)  ? "a folder"
                                      : "not a regular file";
  return str_cat("not a regular file (", kind, "): not opened");
}

cv::Mat decode_image(std::span<const uint8_t> bytes, const std::string& name, const DecodeLimits& limits) {
  return decode(bytes, name, limits, 0);
}

cv::Mat read_image(const std::filesystem::path& path, const DecodeLimits& limits) {
  return decode(read_file_bytes(path), path.string(), limits, 0);
}

int jpeg_reduction(int64_t width, int64_t height, int min_side) {
  if (min_side <= 0) return 1;
  int best = 1;
  for (int k : {2, 4, 8}) {
    // libjpeg's scaled size: ceil(side / k).
    if ((std::min(width, height) + k - 1) / k >= min_side) best = k;
  }
  return best;
}

cv::Mat decode_image_reduced(std::span<const uint8_t> bytes, const std::string& name, int min_side,
                             const DecodeLimits& limits) {
  return decode(bytes, name, limits, min_side);
}

cv::Mat read_image_reduced(const std::filesystem::path& path, int min_side, const DecodeLimits& limits) {
  return decode(read_file_bytes(path), path.string(), limits, min_side);
}

std::vector<uint8_t> encode_image(const cv::Mat& rgb, ImageFormat format, int jpeg_quality) {
  return encode_image(rgb, EncodeOptions{format, jpeg_quality, kDefaultPngLevel});
}

std::vector<uint8_t> encode_image(const cv::Mat& rgb, const EncodeOptions& options) {
  // Each encoder checks the image and its knob. PNG: our own writer (png_encoder.h), lossless at every level;
  // several times faster than OpenCV's libpng path at about Pillow's bytes (docs/PERFORMANCE.md). JPEG:
  // libjpeg's jpeg_set_defaults sample a YCbCr image 2x2 luma, 1x1 chroma: 4:2:0, Pillow's default (the
  // tests read the sampling factors back from the frame header, so a change of library would be noticed).
  if (options.format == ImageFormat::kPng) return encode_png(rgb, options.png_level);
  return encode_jpeg(rgb, options.jpeg_quality);
}

}  // namespace sinforge
