// The pieces of the GPU pipeline: 8-bit post-processing on the device, device memory and batch limits, the
// network in fp16/bf16 against the CPU's fp32, and the random weights the bench uses. GPU tests skip where
// no CUDA device is present; the CPU halves run everywhere.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sinforge/image/tensor_image.h"
#include "sinforge/model/device_memory.h"
#include "sinforge/model/network.h"
#include "sinforge/weights/random_weights.h"

namespace sinforge {
namespace {

bool have_cuda() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

// Values around every rounding boundary, out of range on both sides, and NaN.
at::Tensor tricky_output(at::ScalarType dtype) {
  at::Tensor x = at::rand({3, 3, 17, 23}) * 1.4 - 0.2;
  at::Tensor flat = x.view({-1});
  for (int64_t i = 0; i < 256; ++i) flat[i] = (static_cast<double>(i) - 0.5) / 255.0;  // x*255+0.5 = i
  flat[300] = std::numeric_limits<float>::quiet_NaN();
  flat[301] = std::numeric_limits<float>::infinity();
  flat[302] = -std::numeric_limits<float>::infinity();
  return x.to(dtype);
}

void expect_same_images(const std::vector<cv::Mat>& a, const std::vector<cv::Mat>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size());
    EXPECT_EQ(cv::norm(a[i], b[i], cv::NORM_INF), 0) << "image " << i;
  }
}

TEST(GpuPipeline, QuantizeThenConvertIsTensorToImages) {
  for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
    const at::Tensor x = tricky_output(dtype);
    const at::Tensor bytes = quantize_to_rgb8(x, 20, 15);
    EXPECT_EQ(bytes.scalar_type(), at::kByte);
    EXPECT_EQ(bytes.sizes(), (at::IntArrayRef{3, 15, 20, 3}));
    expect_same_images(rgb8_to_images(bytes), tensor_to_images(x, 20, 15));
  }
  EXPECT_THROW(rgb8_to_images(at::zeros({1, 4, 4, 3}, at::kFloat)), std::invalid_argument);
}

TEST(GpuPipeline, PostProcessingOnTheGpuEqualsTensorToImages) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
    const at::Tensor x = tricky_output(dtype);
    const at::Tensor on_gpu = quantize_to_rgb8(x.cuda(), 23, 17);
    EXPECT_TRUE(on_gpu.is_cuda());
    expect_same_images(rgb8_to_images(on_gpu.cpu()), tensor_to_images(x, 23, 17));
    // channels-last input too, as the network returns on a GPU
    const at::Tensor nhwc = x.cuda().contiguous(at::MemoryFormat::ChannelsLast);
    expect_same_images(tensor_to_images(nhwc, 23, 17), tensor_to_images(x, 23, 17));
  }
}

TEST(GpuPipeline, BatchLimitOnTheCpuIsTheRequest) {
  NetworkOptions cpu;
  EXPECT_EQ(batch_limit(cpu, 500, 375, 7), 7);
  EXPECT_FALSE(free_device_bytes(at::kCPU).has_value());
  NetworkOptions half = cpu;
  half.precision = Precision::kFp16;
  EXPECT_EQ(bytes_per_image(cpu, 224, 224), 2 * bytes_per_image(half, 224, 224));
}

TEST(GpuPipeline, BatchLimitFollowsFreeDeviceMemory) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  NetworkOptions gpu;
  gpu.device = at::Device(at::kCUDA, 0);
  const auto free = free_device_bytes(gpu.device);
  ASSERT_TRUE(free.has_value());
  EXPECT_GT(*free, size_t{0});
  EXPECT_EQ(batch_limit(gpu, 64, 64, 8), 8);
  // An image larger than the whole device still gets a batch of one (it is then retried or reported).
  EXPECT_EQ(batch_limit(gpu, 200000, 200000, 8), 1);
}

TEST(GpuPipeline, RandomWeightsHaveTheOfficialShapes) {
  const EncoderWeights enc = random_encoder_weights(1);
  const DecoderWeights dec = random_decoder_weights(2);
  ASSERT_EQ(enc.convs.size(), 9u);
  ASSERT_EQ(dec.convs.size(), 9u);
  EXPECT_EQ(enc.input_1x1.weight.sizes(), (at::IntArrayRef{3, 3, 1, 1}));
  EXPECT_EQ(enc.convs.back().weight.sizes(), (at::IntArrayRef{512, 256, 3, 3}));
  EXPECT_EQ(dec.convs.front().weight.sizes(), (at::IntArrayRef{256, 512, 3, 3}));
  EXPECT_EQ(dec.convs.back().weight.sizes(), (at::IntArrayRef{3, 64, 3, 3}));
  EXPECT_TRUE(random_encoder_weights(1).convs[3].weight.equal(enc.convs[3].weight));  // seeded
  const StyleNetwork net(enc, dec, NetworkOptions{});
  const at::Tensor f = net.encoder()(at::rand({1, 3, 16, 16}));
  const at::Tensor out =
      net.stylize_features(f, at::zeros({1, 512}), at::ones({1, 512}), at::zeros({1}, at::kLong), 1.f);
  EXPECT_EQ(out.sizes(), (at::IntArrayRef{1, 3, 16, 16}));
  EXPECT_TRUE(out.isfinite().all().item<bool>());
}

// PSNR of a against the reference b, the peak being b's range (random weights do not land in [0, 1]).
double psnr(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor x = a.to(at::kDouble).cpu(), y = b.to(at::kDouble).cpu();
  const double mse = (x - y).pow(2).mean().item<double>();
  const double peak = (y.max() - y.min()).item<double>();
  return 10.0 * std::log10(peak * peak / mse);
}

TEST(GpuPipeline, HalfPrecisionsMatchTheCpuFp32Network) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  at::manual_seed(9);
  const EncoderWeights enc = random_encoder_weights(3);
  const DecoderWeights dec = random_decoder_weights(4);
  const at::Tensor images = at::rand({2, 3, 64, 80});
  const at::Tensor style_images = at::rand({2, 3, 96, 96});
  const StyleNetwork cpu(enc, dec, NetworkOptions{});
  const auto [ref_mean, ref_std] = cpu.style_statistics(style_images);
  const at::Tensor index = at::tensor({1L, 0L});
  const at::Tensor expected = cpu.stylize_features(cpu.encoder()(images), ref_mean, ref_std, index, 1.f);
  for (const Precision p : {Precision::kFp32, Precision::kFp16, Precision::kBf16}) {
    for (const bool channels_last : {false, true}) {
      SCOPED_TRACE(to_string(p) + (channels_last ? " NHWC" : " NCHW"));
      NetworkOptions o;
      o.device = at::Device(at::kCUDA, 0);
      o.precision = p;
      o.channels_last = channels_last;
      const StyleNetwork gpu(enc, dec, o);
      const auto [mean, sd] = gpu.style_statistics(style_images);
      const at::Tensor out = gpu.stylize_features(gpu.encoder()(images), mean, sd, index.cuda(), 1.f);
      EXPECT_FALSE(out.isnan().any().item<bool>());
      EXPECT_GE(psnr(out, expected), p == Precision::kFp32 ? 60.0 : 40.0);
    }
  }
}

}  // namespace
}  // namespace sinforge
