// The network against the published one (tests/reference/network_reference.py: PyTorch in float64 on the
// same random weights), and the exactness of folding the input conv.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "sinforge/core/error.h"
#include "sinforge/model/network.h"
#include "sinforge/model/ops/adain.h"
#include "sinforge/weights/random_weights.h"
#include "sinforge/weights/weights.h"
#include "support/fixtures.h"
#include "support/suite_setup.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

using testing::TempDir;

// max |a - b| / max |b|: the relative error of a whole tensor.
double relative_error(const at::Tensor& actual, const at::Tensor& expected) {
  const at::Tensor a = actual.to(at::kDouble).cpu(), b = expected.to(at::kDouble).cpu();
  EXPECT_EQ(a.sizes(), b.sizes());
  return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}

// The reference case is written once for all tests of this file (it takes a few seconds).
class NetworkReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setup_.run([] {
      dir_ = new TempDir();
      const auto result = testing::run_reference("network_reference.py", testing::quote(dir_->path()));
      testing::SuiteSetup::require(result.exit_code == 0, result.output);
      std::ifstream in(dir_->path() / "manifest.json");
      manifest_ = nlohmann::json::parse(in);
    });
  }
  void SetUp() override { setup_.check(); }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static at::Tensor tensor(const std::string& name) {
    std::vector<int64_t> shape = manifest_["tensors"].at(name).get<std::vector<int64_t>>();
    at::Tensor t = at::empty(shape, at::kFloat);
    std::ifstream in(dir_->path() / (name + ".f32"), std::ios::binary);
    in.read(reinterpret_cast<char*>(t.mutable_data_ptr<float>()), t.numel() * 4);
    EXPECT_EQ(in.gcount(), t.numel() * 4) << name;
    return t;
  }
  static std::filesystem::path file(const std::string& name) { return dir_->path() / name; }

  static inline testing::SuiteSetup setup_;
  static inline TempDir* dir_ = nullptr;
  static inline nlohmann::json manifest_;
};

TEST_F(NetworkReference, CalibratedOutputsSitInsideTheUnitInterval) {
  // Saturated outputs would make every 8-bit comparison pass; the reference must not saturate.
  const auto range = manifest_["output_range"].get<std::vector<double>>();
  EXPECT_GT(range[0], 0.02);
  EXPECT_LT(range[1], 0.98);
  EXPECT_GT(range[1] - range[0], 0.1) << "outputs too flat to test anything";
}

TEST_F(NetworkReference, BothWeightFormatsGiveTheReferenceNetwork) {
  for (const std::string format : {"legacy", "zip"}) {
    SCOPED_TRACE(format);
    const EncoderWeights enc = load_encoder_weights(file("vgg_" + format + ".pth"));
    const DecoderWeights dec = load_decoder_weights(file("decoder_" + format + ".pth"));
    const StyleNetwork net(enc, dec, NetworkOptions{});
    const size_t num_styles = manifest_["styles"].size();
    std::vector<at::Tensor> means, stds;
    for (size_t s = 0; s < num_styles; ++s) {
      const std::string key = "style" + std::to_string(s);
      means.push_back(tensor(key + "_mean"));
      stds.push_back(tensor(key + "_std"));
    }
    const at::Tensor style_mean = at::stack(means), style_std = at::stack(stds);
    const auto alphas = manifest_["alphas"].get<std::vector<float>>();
    for (size_t i = 0; i < manifest_["contents"].size(); ++i) {
      const std::string key = "content" + std::to_string(i);
      const at::Tensor features = net.encoder()(tensor(key + "_input"));
      EXPECT_LT(relative_error(features, tensor(key + "_relu4_1")), 1e-4) << key;
      for (size_t s = 0; s < num_styles; ++s) {
        for (size_t a = 0; a < alphas.size(); ++a) {
          const std::string case_key = key + "_style" + std::to_string(s) + "_alpha" + std::to_string(a);
          const at::Tensor index = at::full({1}, static_cast<int64_t>(s), at::kLong);
          const at::Tensor mixed = adain(features, style_mean, style_std, index, alphas[a]);
          EXPECT_LT(relative_error(mixed, tensor(case_key + "_adain")), 1e-4) << case_key;
          const at::Tensor expected = tensor(case_key + "_decoded");
          const at::Tensor decoded = net.stylize_features(features, style_mean, style_std, index, alphas[a]);
          const at::Tensor cropped = decoded.slice(2, 0, expected.size(2)).slice(3, 0, expected.size(3));
          EXPECT_LT(relative_error(cropped, expected), 1e-4) << case_key;
        }
      }
    }
  }
}

TEST_F(NetworkReference, StyleStatisticsMatchTheReference) {
  const EncoderWeights enc = load_encoder_weights(file("vgg_zip.pth"));
  const DecoderWeights dec = load_decoder_weights(file("decoder_zip.pth"));
  const StyleNetwork net(enc, dec, NetworkOptions{});
  const at::Tensor style = tensor("content1_input");  // any image: statistics of its relu4_1
  const auto [mean, std] = net.style_statistics(style);
  const auto [ref_mean, ref_std] = channel_stats(tensor("content1_relu4_1"));
  EXPECT_LT(relative_error(mean, ref_mean), 1e-4);
  EXPECT_LT(relative_error(std, ref_std), 1e-4);
}

ConvLayer random_conv(int64_t out, int64_t in, int64_t k, double scale) {
  return {at::randn({out, in, k, k}, at::kFloat) * scale, at::randn({out}, at::kFloat) * scale};
}

EncoderWeights random_encoder() {
  EncoderWeights w;
  w.input_1x1 = random_conv(3, 3, 1, 50.0);  // like the real file: maps [0,1] to the caffe input range
  const int64_t channels[][2] = {{3, 64},    {64, 64},   {64, 128},  {128, 128}, {128, 256},
                                 {256, 256}, {256, 256}, {256, 256}, {256, 512}};
  for (const auto& c : channels) w.convs.push_back(random_conv(c[1], c[0], 3, std::sqrt(2.0 / (c[0] * 9))));
  return w;
}

TEST(Network, FoldedInputConvEqualsTheUnfoldedOne) {
  at::manual_seed(7);
  const EncoderWeights w = random_encoder();
  NetworkOptions folded, unfolded;
  unfolded.fold_input_conv = false;
  const Encoder a(w, folded), b(w, unfolded);
  const at::Tensor images = at::rand({2, 3, 35, 50});
  const at::Tensor fa = a(images), fb = b(images);
  EXPECT_EQ(fa.sizes(), (std::vector<int64_t>{2, 512, 5, 7}));
  EXPECT_GT(fb.abs().max().item<float>(), 0.f);
  EXPECT_LT(relative_error(fa, fb), 1e-5);
}

TEST(Network, FoldingIsTheAlgebraOfTheTwoConvs) {
  // Directly: conv3x3(pad(conv1x1(x))) == conv3x3'(pad(x)) in double precision.
  at::manual_seed(3);
  const ConvLayer c0 = random_conv(3, 3, 1, 1.0), c2 = random_conv(64, 3, 3, 1.0);
  const ConvLayer f = fold_input_conv(c0, c2);
  const at::Tensor x = at::rand({1, 3, 9, 11}, at::kDouble);
  const auto d = [](const at::Tensor& t) { return t.to(at::kDouble); };
  const at::Tensor expected = at::conv2d(
      at::reflection_pad2d(at::conv2d(x, d(c0.weight), d(c0.bias)), {1, 1, 1, 1}), d(c2.weight), d(c2.bias));
  const at::Tensor actual = at::conv2d(at::reflection_pad2d(x, {1, 1, 1, 1}), d(f.weight), d(f.bias));
  EXPECT_LT(relative_error(actual, expected), 1e-6);
}

// Found on an AVX-512 machine: oneDNN's convolution of one image differed in its last bits between a batch
// of 1 and one of 4 (3->64 and 256->512 convolutions), so an output could move by a level with the batch it
// happened to share: exactly equal now, for every image of a batch and for the whole network.
TEST(Network, OnTheCpuAnImagesResultDoesNotDependOnItsBatch) {
  at::manual_seed(11);
  const StyleNetwork net(random_encoder_weights(21), random_decoder_weights(22), NetworkOptions{});
  const at::Tensor images = at::rand({4, 3, 34, 50});
  const at::Tensor features = net.encoder()(images);
  const at::Tensor style_mean = at::rand({4, 512}), style_std = at::rand({4, 512}) + 0.1;
  const at::Tensor index = at::arange(4, at::kLong);
  const at::Tensor outputs = net.stylize_features(features, style_mean, style_std, index, 1.f);
  for (int64_t i = 0; i < 4; ++i) {
    const at::Tensor alone = net.encoder()(images.narrow(0, i, 1).clone());  // its own allocation
    EXPECT_TRUE(at::equal(alone, features.narrow(0, i, 1))) << "encoder, image " << i;
    const at::Tensor out = net.stylize_features(alone, style_mean, style_std, index.narrow(0, i, 1), 1.f);
    EXPECT_TRUE(at::equal(out, outputs.narrow(0, i, 1))) << "network, image " << i;
  }
}

TEST(Network, OutputShapeFollowsCeilModePooling) {
  at::manual_seed(5);
  const Encoder enc(random_encoder(), NetworkOptions{});
  for (const auto& [h, w] : std::vector<std::pair<int64_t, int64_t>>{{9, 9}, {9, 17}, {16, 16}, {33, 70}}) {
    const at::Tensor f = enc(at::rand({1, 3, h, w}));
    EXPECT_EQ(f.size(2), (((h + 1) / 2 + 1) / 2 + 1) / 2) << h << "x" << w;
    EXPECT_EQ(f.size(3), (((w + 1) / 2 + 1) / 2 + 1) / 2) << h << "x" << w;
  }
}

TEST(Network, PrecisionNamesRoundTrip) {
  for (const auto p : {Precision::kFp32, Precision::kFp16, Precision::kBf16}) {
    EXPECT_EQ(parse_precision(to_string(p)), p);
  }
  EXPECT_THROW(parse_precision("fp64"), std::exception);
}

// --precision per GPU architecture: bf16 from Ampere (8.0) on, fp16 and fp32 on every chip LibTorch supports.
TEST(Network, PrecisionRuleForEveryArchitecture) {
  const std::vector<ComputeCapability> chips = {{7, 5}, {8, 0},  {8, 6},  {8, 7},  {8, 9},
                                                {9, 0}, {10, 0}, {10, 3}, {12, 0}, {12, 1}};
  for (const ComputeCapability c : chips) {
    SCOPED_TRACE(sm_name(c));
    EXPECT_TRUE(gpu_supports(Precision::kFp32, c));
    EXPECT_TRUE(gpu_supports(Precision::kFp16, c));
    EXPECT_EQ(gpu_supports(Precision::kBf16, c), c.major >= 8);
    EXPECT_NO_THROW(check_precision_for_gpu(Precision::kFp16, c, "cuda:0"));
    EXPECT_NO_THROW(check_precision_for_gpu(Precision::kFp32, c, "cuda:0"));
  }
  EXPECT_NO_THROW(check_precision_for_gpu(Precision::kBf16, {8, 0}, "cuda:0 (A100)"));
}

TEST(Network, Bf16OnATuringGpuIsRefusedNamingFp16) {
  const std::string message = testing::error_of<UsageError>([] {
    check_precision_for_gpu(Precision::kBf16, {7, 5}, "cuda:0 (Tesla T4)");
  });
  EXPECT_NE(message.find("--precision bf16"), std::string::npos) << message;
  EXPECT_NE(message.find("Tesla T4"), std::string::npos) << message;
  EXPECT_NE(message.find("sm_75"), std::string::npos) << message;
  EXPECT_NE(message.find("--precision fp16"), std::string::npos) << "names the alternative: " << message;
  // The CPU refuses both half precisions; fp32 runs everywhere.
  EXPECT_THROW(check_precision_for_device(Precision::kBf16, at::kCPU), UsageError);
  EXPECT_THROW(check_precision_for_device(Precision::kFp16, at::kCPU), UsageError);
  EXPECT_NO_THROW(check_precision_for_device(Precision::kFp32, at::kCPU));
}

}  // namespace
}  // namespace sinforge
