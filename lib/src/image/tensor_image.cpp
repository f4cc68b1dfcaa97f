#include "sinforge/image/tensor_image.h"

#include <cstring>
#include <stdexcept>

#include "sinforge/core/log.h"

namespace sinforge {

namespace {

// One size, RGB uint8: what a batch tensor can hold. Throws std::invalid_argument naming the image.
void check_batch(const std::vector<cv::Mat>& rgb_images) {
  if (rgb_images.empty()) throw std::invalid_argument("images_to_tensor: no images");
  const int h = rgb_images.front().rows;
  const int w = rgb_images.front().cols;
  for (size_t i = 0; i < rgb_images.size(); ++i) {
    const cv::Mat& m = rgb_images[i];
    if (m.type() != CV_8UC3)
      throw std::invalid_argument(str_cat("images_to_tensor: image ", i, " is not RGB uint8"));
    if (m.rows != h || m.cols != w) {
      throw std::invalid_argument(str_cat("images_to_tensor: image ", i, " is ", m.cols, "x", m.rows,
                                          ", image 0 is ", w, "x", h, "; a batch needs one size"));
    }
  }
}

}  // namespace

at::Tensor images_to_rgb8(const std::vector<cv::Mat>& rgb_images, bool pinned) {
  check_batch(rgb_images);
  const int h = rgb_images.front().rows, w = rgb_images.front().cols;
  const int64_t n = static_cast<int64_t>(rgb_images.size());
  at::Tensor out = at::empty({n, h, w, 3}, at::TensorOptions().dtype(at::kByte).pinned_memory(pinned));
  uint8_t* base = out.data_ptr<uint8_t>();
  const size_t row_bytes = static_cast<size_t>(w) * 3;
  for (int64_t i = 0; i < n; ++i) {
    const cv::Mat& m = rgb_images[static_cast<size_t>(i)];
    uint8_t* dst = base + static_cast<size_t>(i) * h * row_bytes;
    for (int y = 0; y < h; ++y) std::memcpy(dst + y * row_bytes, m.ptr<uint8_t>(y), row_bytes);
  }
  return out;
}

at::Tensor rgb8_to_tensor(const at::Tensor& nhwc_bytes) {
  if (nhwc_bytes.dim() != 4 || nhwc_bytes.size(3) != 3 || nhwc_bytes.scalar_type() != at::kByte) {
    throw std::invalid_argument(str_cat("rgb8_to_tensor: expects uint8 N x H x W x 3, got ",
                                        nhwc_bytes.sizes(), " ", nhwc_bytes.scalar_type()));
  }
  const at::Tensor divisor = at::full({}, 255.0f, at::TensorOptions(at::kFloat).device(nhwc_bytes.device()));
  return nhwc_bytes.permute({0, 3, 1, 2}).to(at::kFloat).div(divisor).contiguous();
}

at::Tensor images_to_tensor(const std::vector<cv::Mat>& rgb_images, bool pinned) {
  check_batch(rgb_images);
  const int h = rgb_images.front().rows;
  const int w = rgb_images.front().cols;
  const int64_t n = static_cast<int64_t>(rgb_images.size());
  at::Tensor out = at::empty({n, 3, h, w}, at::TensorOptions().dtype(at::kFloat).pinned_memory(pinned));
  float* base = out.data_ptr<float>();
  const size_t plane = static_cast<size_t>(h) * w;
  for (int64_t i = 0; i < n; ++i) {
    const cv::Mat& m = rgb_images[static_cast<size_t>(i)];
    float* r = base + static_cast<size_t>(i) * 3 * plane;
    float* g = r + plane;
    float* b = g + plane;
    for (int y = 0; y < h; ++y) {
      const uint8_t* px = m.ptr<uint8_t>(y);
      const size_t row = static_cast<size_t>(y) * w;
      for (int x = 0; x < w; ++x) {
        // ToTensor divides in float32: x / 255, not x * (1 / 255), which rounds differently for some x.
        r[row + x] = static_cast<float>(px[3 * x + 0]) / 255.0f;
        g[row + x] = static_cast<float>(px[3 * x + 1]) / 255.0f;
        b[row + x] = static_cast<float>(px[3 * x + 2]) / 255.0f;
      }
    }
  }
  return out;
}

at::Tensor quantize_to_rgb8(const at::Tensor& nchw, int out_w, int out_h) {
  if (nchw.dim() != 4 || nchw.size(1) != 3) {
    throw std::invalid_argument(str_cat("tensor_to_images: expects N x 3 x H x W, got ", nchw.sizes()));
  }
  if (out_w < 1 || out_h < 1 || nchw.size(2) < out_h || nchw.size(3) < out_w) {
    throw std::invalid_argument(
        str_cat("tensor_to_images: cannot take ", out_w, "x", out_h, " from ", nchw.sizes()));
  }
  const auto dtype = nchw.scalar_type();
  if (dtype != at::kFloat && dtype != at::kHalf && dtype != at::kBFloat16) {
    throw std::invalid_argument(str_cat("tensor_to_images: unsupported dtype ", dtype));
  }
  // fp16/bf16 -> fp32 is exact; then torchvision's save_image rule, with the same ATen operations in float32:
  // x.mul(255).add_(0.5).clamp_(0, 255), then the float -> uint8 cast truncates toward zero. NaN survives
  // clamp and its cast to uint8 is undefined, so it is set to 0 first (nan_to_num of the scaled value).
  // Each step is one IEEE float32 operation per element (no fused multiply-add), so CPU and GPU agree.
  at::Tensor region = nchw.detach().narrow(2, 0, out_h).narrow(3, 0, out_w).to(at::kFloat);
  at::Tensor scaled = region.mul(255).add_(0.5);
  scaled = at::nan_to_num(scaled, 0.0).clamp_(0, 255);
  return scaled.to(at::kByte).permute({0, 2, 3, 1}).contiguous();  // N x H x W x 3
}

std::vector<cv::Mat> rgb8_to_images(const at::Tensor& nhwc_bytes) {
  if (nhwc_bytes.dim() != 4 || nhwc_bytes.size(3) != 3 || nhwc_bytes.scalar_type() != at::kByte ||
      !nhwc_bytes.is_cpu()) {
    throw std::invalid_argument(str_cat("rgb8_to_images: expects uint8 N x H x W x 3 on the CPU, got ",
                                        nhwc_bytes.sizes(), " ", nhwc_bytes.scalar_type()));
  }
  const at::Tensor bytes = nhwc_bytes.contiguous();
  const int out_h = static_cast<int>(bytes.size(1)), out_w = static_cast<int>(bytes.size(2));
  std::vector<cv::Mat> images;
  images.reserve(static_cast<size_t>(bytes.size(0)));
  const uint8_t* base = bytes.const_data_ptr<uint8_t>();
  const size_t image_bytes = static_cast<size_t>(out_h) * out_w * 3;
  for (int64_t i = 0; i < bytes.size(0); ++i) {
    cv::Mat m(out_h, out_w, CV_8UC3);
    std::memcpy(m.data, base + static_cast<size_t>(i) * image_bytes, image_bytes);
    images.push_back(m);
  }
  return images;
}

std::vector<cv::Mat> tensor_to_images(const at::Tensor& nchw, int out_w, int out_h) {
  return rgb8_to_images(quantize_to_rgb8(nchw, out_w, out_h).cpu());
}

}  // namespace sinforge
