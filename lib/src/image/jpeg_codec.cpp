#include "sinforge/image/jpeg_codec.h"

// jpeglib.h uses size_t and FILE without including their headers.
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <jpeglib.h>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"

namespace sinforge {
namespace {

// libjpeg reports a fatal error through error_exit, which must not return: on_error keeps the message and
// jumps back to the setjmp of the step that called into libjpeg. The steps hold no C++ object across that
// jump (a longjmp past a destructor is undefined behaviour); what they touch lives in the caller's frame.
struct ErrorManager {
  jpeg_error_mgr pub;  // first: libjpeg hands back a pointer to it
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error(j_common_ptr info) {
  auto* err = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, err->message);
  std::longjmp(err->jump, 1);
}

void ignore_message(j_common_ptr) {}  // warnings are libjpeg's to count, not ours to print on stderr

void install(ErrorManager& err) {
  jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.output_message = ignore_message;
  err.message[0] = '\0';
}

struct Decoder {
  jpeg_decompress_struct info{};
  ErrorManager err{};
  bool created = false;
  Decoder() {
    install(err);
    info.err = &err.pub;
  }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  ~Decoder() {
    if (created) jpeg_destroy_decompress(&info);
  }
};

// The header read and, unless the file has four components, the decompression started at 1/reduction into
// RGB. false: libjpeg failed (d.err.message says why).
bool start_decoding(Decoder& d, std::span<const uint8_t> bytes, int reduction) {
  if (setjmp(d.err.jump) != 0) return false;
  jpeg_create_decompress(&d.info);
  d.created = true;
  jpeg_mem_src(&d.info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&d.info, TRUE);
  if (d.info.num_components == 4) return true;
  d.info.out_color_space = JCS_EXT_RGB;  // grayscale, YCbCr and RGB files all convert to it
  d.info.scale_num = 1;
  d.info.scale_denom = static_cast<unsigned int>(reduction);
  jpeg_start_decompress(&d.info);
  return true;
}

// Every scanline into rows of `step` bytes from data. false: libjpeg failed.
bool read_scanlines(Decoder& d, uint8_t* data, size_t step) {
  if (setjmp(d.err.jump) != 0) return false;
  while (d.info.output_scanline < d.info.output_height) {
    JSAMPROW row = data + d.info.output_scanline * step;
    jpeg_read_scanlines(&d.info, &row, 1);
  }
  jpeg_finish_decompress(&d.info);
  return true;
}

struct Encoder {
  jpeg_compress_struct info{};
  ErrorManager err{};
  unsigned char* buffer = nullptr;  // jpeg_mem_dest's, grown by libjpeg with malloc
  unsigned long size = 0;
  bool created = false;
  Encoder() {
    install(err);
    info.err = &err.pub;
  }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  ~Encoder() {
    if (created) jpeg_destroy_compress(&info);
    std::free(buffer);
  }
};

// The whole file into e.buffer. false: libjpeg failed.
bool compress(Encoder& e, const cv::Mat& rgb, int quality) {
  if (setjmp(e.err.jump) != 0) return false;
  jpeg_create_compress(&e.info);
  e.created = true;
  jpeg_mem_dest(&e.info, &e.buffer, &e.size);
  e.info.image_width = static_cast<JDIMENSION>(rgb.cols);
  e.info.image_height = static_cast<JDIMENSION>(rgb.rows);
  e.info.input_components = 3;
  e.info.in_color_space = JCS_EXT_RGB;
  jpeg_set_defaults(&e.info);  // YCbCr 4:2:0, islow DCT, standard Huffman tables: what OpenCV leaves
  jpeg_set_quality(&e.info, quality, TRUE);
  jpeg_start_compress(&e.info, TRUE);
  while (e.info.next_scanline < e.info.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(rgb.ptr<uint8_t>(static_cast<int>(e.info.next_scanline)));
    jpeg_write_scanlines(&e.info, &row, 1);
  }
  jpeg_finish_compress(&e.info);
  return true;
}

}  // namespace

std::optional<cv::Mat> decode_jpeg_rgb(std::span<const uint8_t> bytes, int reduction,
                                       const std::string& name) {
  if (reduction != 1 && reduction != 2 && reduction != 4 && reduction != 8)
    throw std::invalid_argument(str_cat("decode_jpeg_rgb: reduction ", reduction, " is not 1, 2, 4 or 8"));
  Decoder d;
  if (!start_decoding(d, bytes, reduction))
    throw DecodeError(str_cat(name, ": corrupt JPEG (", d.err.message, ")"));
  if (d.info.num_components == 4) return std::nullopt;
  cv::Mat out(static_cast<int>(d.info.output_height), static_cast<int>(d.info.output_width), CV_8UC3);
  if (!read_scanlines(d, out.data, out.step))
    throw DecodeError(str_cat(name, ": corrupt JPEG (", d.err.message, ")"));
  return out;
}

std::vector<uint8_t> encode_jpeg(const cv::Mat& rgb, int quality) {
  if (rgb.empty() || rgb.type() != CV_8UC3)
    throw std::invalid_argument("encode_jpeg: expects an RGB uint8 image");
  if (quality < 1 || quality > 100)
    throw std::invalid_argument(str_cat("encode_jpeg: quality ", quality, " is not in 1..100"));
  Encoder e;
  if (!compress(e, rgb, quality))
    throw std::runtime_error(str_cat("encode_jpeg: libjpeg failed (", e.err.message, ")"));
  return std::vector<uint8_t>(e.buffer, e.buffer + e.size);
}

}  // namespace sinforge
