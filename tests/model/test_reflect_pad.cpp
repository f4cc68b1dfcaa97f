// The fused glue between convolutions (reflect_pad.h): ReLU, nearest x2 upsampling and reflection padding in
// one op equal LibTorch's three ops exactly; the network with it equals the network without it. On the CPU
// the op runs the kernel's index rule; on a GPU (skipped here) the kernel itself, packed and unpacked
// channels.
#include <gtest/gtest.h>

#include <ATen/Context.h>
#include <c10/core/InferenceMode.h>

#include "sinforge/model/network.h"
#include "sinforge/model/ops/reflect_pad.h"
#include "sinforge/weights/random_weights.h"

namespace sinforge {
namespace {

bool have_cuda() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

at::Tensor three_ops(const at::Tensor& x, bool relu, bool upsample2) {
  at::Tensor y = relu ? x.relu() : x;
  if (upsample2) y = at::upsample_nearest2d(y, {y.size(2) * 2, y.size(3) * 2});
  return at::reflection_pad2d(y, {1, 1, 1, 1});
}

struct Shape {
  int64_t n, c, h, w;
};
const std::vector<Shape> kShapes = {{1, 3, 2, 2}, {2, 3, 5, 7}, {1, 64, 9, 4}, {3, 16, 1, 3}, {1, 8, 28, 28}};

TEST(ReflectPad, EqualsReluUpsampleAndReflectionPadOnTheCpu) {
  at::manual_seed(1);
  for (const Shape& s : kShapes) {
    for (const bool relu : {false, true}) {
      for (const bool up : {false, true}) {
        if (!up && (s.h < 2 || s.w < 2)) continue;  // nothing to reflect
        SCOPED_TRACE(testing::Message() << s.n << "x" << s.c << "x" << s.h << "x" << s.w << " relu " << relu
                                        << " upsample " << up);
        const at::Tensor x = at::randn({s.n, s.c, s.h, s.w});
        EXPECT_TRUE(reflect_pad1(x, relu, up).equal(three_ops(x, relu, up)));
        const at::Tensor cl = x.contiguous(at::MemoryFormat::ChannelsLast);
        EXPECT_TRUE(reflect_pad1(cl, relu, up).equal(three_ops(x, relu, up)));
      }
    }
  }
  EXPECT_THROW(reflect_pad1(at::randn({1, 3, 1, 5}), false, false), std::invalid_argument);
  EXPECT_THROW(reflect_pad1(at::randn({3, 5}), false, false), std::invalid_argument);
}

TEST(ReflectPad, TheNetworkWithFusedGlueEqualsTheNetworkWithout) {
  const c10::InferenceMode inference;
  at::manual_seed(2);
  const EncoderWeights enc = random_encoder_weights(3);
  const DecoderWeights dec = random_decoder_weights(4);
  NetworkOptions eager;
  NetworkOptions fused;
  fused.fuse_reflect_pad = true;
  const StyleNetwork a(enc, dec, eager), b(enc, dec, fused);
  const at::Tensor images = at::rand({2, 3, 37, 50});  // odd sizes: ceil-mode pooling's partial windows
  const at::Tensor fa = a.encoder()(images), fb = b.encoder()(images);
  EXPECT_TRUE(fa.equal(fb)) << "ReLU moved past max pooling and into the padding changes nothing";
  const at::Tensor ya = a.decoder()(fa), yb = b.decoder()(fb);
  EXPECT_TRUE(ya.equal(yb));
  EXPECT_GT((ya - ya.mean()).abs().max().item<float>(), 0.f) << "a constant output would prove nothing";
}

TEST(ReflectPad, TheKernelEqualsTheThreeOpsOnTheGpu) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  at::manual_seed(3);
  for (const auto dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
    for (const Shape& s : kShapes) {
      for (const bool relu : {false, true}) {
        for (const bool up : {false, true}) {
          if (!up && (s.h < 2 || s.w < 2)) continue;
          SCOPED_TRACE(testing::Message() << c10::toString(dtype) << " " << s.n << "x" << s.c << "x" << s.h
                                          << "x" << s.w << " relu " << relu << " upsample " << up);
          const at::Tensor x =
              at::randn({s.n, s.c, s.h, s.w}).to(at::kCUDA, dtype).contiguous(at::MemoryFormat::ChannelsLast);
          const at::Tensor y = reflect_pad1(x, relu, up);
          EXPECT_TRUE(y.is_contiguous(at::MemoryFormat::ChannelsLast));
          EXPECT_TRUE(y.cpu().equal(three_ops(x, relu, up).cpu()));
        }
      }
    }
  }
}

TEST(ReflectPad, TheFusedNetworkOnTheGpuMatchesTheEagerOne) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  const c10::InferenceMode inference;
  at::manual_seed(4);
  const EncoderWeights enc = random_encoder_weights(5);
  const DecoderWeights dec = random_decoder_weights(6);
  NetworkOptions eager;
  eager.device = at::Device(at::kCUDA, 0);
  eager.channels_last = true;
  NetworkOptions fused = eager;
  fused.fuse_reflect_pad = true;
  const StyleNetwork a(enc, dec, eager), b(enc, dec, fused);
  const at::Tensor images = at::rand({2, 3, 64, 72});
  const at::Tensor ya = a.decoder()(a.encoder()(images)).cpu(), yb = b.decoder()(b.encoder()(images)).cpu();
  // The same convolutions on the same inputs; cuDNN may still pick another algorithm per call.
  EXPECT_LT((ya - yb).abs().max().item<double>() / ya.abs().max().item<double>(), 1e-3);
}

}  // namespace
}  // namespace sinforge
