// Encoding the paintings (style_bank.h): the bank lists the usable paintings in the order found whatever
// order the batches ran in, each painting's statistics are those of encoding it alone, unusable ones are
// reported; and the network never leaves cuDNN's autotuning on (network.h).
#include <gtest/gtest.h>

#include <ATen/Context.h>
#include <c10/core/InferenceMode.h>

#include <fstream>
#include <system_error>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/tensor_image.h"
#include "sinforge/model/style_bank.h"
#include "sinforge/weights/random_weights.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

bool have_cuda() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

cv::Mat noise_image(int w, int h, uint64_t seed) {
  cv::Mat m(h, w, CV_8UC3);
  cv::theRNG().state = seed;
  cv::randu(m, 0, 256);
  return m;
}

class StyleBankEncoding : public ::testing::Test {
 protected:
  void SetUp() override {
    // Three sizes, two paintings sharing one (a batch on a GPU), and an unreadable file between them.
    const std::vector<std::pair<std::string, cv::Size>> paintings = {
        {"a.png", {40, 30}}, {"b.png", {30, 40}}, {"c.png", {40, 30}}, {"e.png", {50, 50}}};
    fs::create_directories(dir_);
    uint64_t seed = 1;
    for (const auto& [name, size] : paintings) {
      write_file_atomic(dir_ / name,
                        encode_image(noise_image(size.width, size.height, seed++), ImageFormat::kPng, 0));
    }
    std::ofstream(dir_ / "d.jpg") << "not an image";
    found_ = {"a.png", "b.png", "c.png", "d.jpg", "e.png"};
  }

  StyleBank encode(const NetworkOptions& options, std::vector<SkippedInput>& skipped) const {
    const StyleNetwork net(random_encoder_weights(5), random_decoder_weights(6), options);
    ThreadPool pool(2);
    return encode_paintings(dir_, found_, recipe_, net, pool, skipped);
  }

  testing::TempDir tmp_;
  fs::path dir_ = tmp_ / "styles";
  std::vector<fs::path> found_;
  StyleRecipe recipe_{24, StyleCrop::kNone, ResampleFilter::kBilinear, 0};
};

TEST_F(StyleBankEncoding, ListsUsablePaintingsInOrderWithTheirOwnStatistics) {
  const c10::InferenceMode inference;
  std::vector<SkippedInput> skipped;
  const StyleBank bank = encode(NetworkOptions{}, skipped);
  EXPECT_EQ(bank.paintings, (std::vector<fs::path>{"a.png", "b.png", "c.png", "e.png"}));
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].path, "d.jpg");
  EXPECT_FALSE(skipped[0].reason.empty());
  EXPECT_GT(bank.encode_seconds, 0);
  ASSERT_EQ(bank.mean.sizes(), (at::IntArrayRef{4, 512}));
  // Each painting alone, prepared as a run prepares it: the CPU path must give exactly these.
  const StyleNetwork net(random_encoder_weights(5), random_decoder_weights(6), NetworkOptions{});
  for (size_t i = 0; i < bank.paintings.size(); ++i) {
    const cv::Mat image =
        prepare_style(read_image_reduced(dir_ / bank.paintings[i], style_decode_min_side(recipe_)), recipe_);
    const auto [m, s] = net.style_statistics(images_to_tensor({image}));
    EXPECT_TRUE(bank.mean[static_cast<int64_t>(i)].equal(m[0])) << bank.paintings[i];
    EXPECT_TRUE(bank.std[static_cast<int64_t>(i)].equal(s[0])) << bank.paintings[i];
  }
}

// A failure of the machine (no file descriptor left) is no reason to leave a painting out for good (the
// bank file would keep the skip): the encoding stops with the error instead.
TEST_F(StyleBankEncoding, ATransientReadErrorStopsInsteadOfLeavingPaintingsOut) {
  const c10::InferenceMode inference;
  const StyleNetwork net(random_encoder_weights(5), random_decoder_weights(6), NetworkOptions{});
  ThreadPool pool(2);
  std::vector<SkippedInput> skipped;
  {
    const testing::NoFreeFileDescriptors no_fds;
    EXPECT_THROW(encode_paintings(dir_, found_, recipe_, net, pool, skipped), std::system_error);
  }
  EXPECT_TRUE(skipped.empty()) << skipped.front().path << ": " << skipped.front().reason;
}

TEST_F(StyleBankEncoding, BatchedOnTheGpuEqualsTheCpuReference) {
  if (!have_cuda()) GTEST_SKIP() << "no CUDA device";
  const c10::InferenceMode inference;
  std::vector<SkippedInput> skipped_cpu, skipped_gpu;
  const StyleBank cpu = encode(NetworkOptions{}, skipped_cpu);
  NetworkOptions gpu_options;
  gpu_options.device = at::Device(at::kCUDA, 0);
  gpu_options.channels_last = true;
  const StyleBank gpu = encode(gpu_options, skipped_gpu);
  EXPECT_EQ(gpu.paintings, cpu.paintings);
  EXPECT_EQ(skipped_gpu.size(), skipped_cpu.size());
  const double err_mean = (gpu.mean.cpu() - cpu.mean).norm().item<double>() / cpu.mean.norm().item<double>();
  const double err_std = (gpu.std.cpu() - cpu.std).norm().item<double>() / cpu.std.norm().item<double>();
  // fp32 on both, but cuDNN convolutions may run in TF32 (LibTorch's default): about 1e-3 after ten layers.
  // A painting's statistics under another painting's name would be off by order one.
  EXPECT_LT(err_mean, 5e-3);
  EXPECT_LT(err_std, 5e-3);
}

TEST(ConvAlgorithmPolicy, EveryNetworkTurnsAutotuningOffUnlessAskedOnAGpu) {
  at::globalContext().setBenchmarkCuDNN(true);  // as an earlier caller might have left it
  NetworkOptions options;
  { const StyleNetwork net(random_encoder_weights(1), random_decoder_weights(2), options); }
  EXPECT_FALSE(at::globalContext().benchmarkCuDNN());
  options.conv_autotune = true;  // asked for, but the CPU has nothing to tune
  apply_conv_algorithm_policy(options);
  EXPECT_FALSE(at::globalContext().benchmarkCuDNN());
  if (have_cuda()) {
    options.device = at::Device(at::kCUDA, 0);
    apply_conv_algorithm_policy(options);
    EXPECT_TRUE(at::globalContext().benchmarkCuDNN());
    options.conv_autotune = false;
    apply_conv_algorithm_policy(options);
    EXPECT_FALSE(at::globalContext().benchmarkCuDNN());
  }
}

}  // namespace
}  // namespace sinforge
