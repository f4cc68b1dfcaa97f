// The session every command sets up: the --threads, --device and --precision rules, the network's options,
// inference mode for the session's lifetime, and a network that computes what one made directly does.
#include "sinforge/model/session.h"

#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include "sinforge/core/error.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/weights/random_weights.h"
#include "support/fixtures.h"

namespace sinforge {
namespace {

TEST(Session, ThreadsZeroMeansEveryCore) {
  EXPECT_EQ(worker_count(3), 3u);
  EXPECT_GE(worker_count(0), 1u);
  EXPECT_EQ(worker_count(0), std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_NO_THROW(check_thread_flag(0));
  EXPECT_THROW(check_thread_flag(-1), UsageError);
}

TEST(Session, HalfPrecisionNeedsAGpu) {
  EXPECT_NO_THROW(check_session_options({"cpu", Precision::kFp32, 0, false}));
  for (const Precision p : {Precision::kFp16, Precision::kBf16}) {
    const std::string m = testing::error_of<UsageError>([&] { check_session_options({"cpu", p, 0, false}); });
    EXPECT_NE(m.find("--precision " + to_string(p) + " needs a GPU"), std::string::npos)
        << "accepted " << to_string(p) << " on the CPU? " << m;
  }
  EXPECT_THROW(check_session_options({"cpu", Precision::kFp32, -2, false}), UsageError);
  EXPECT_THROW(check_session_options({"tpu", Precision::kFp32, 0, false}), UsageError);
}

TEST(Session, NetworkOptionsFollowTheDevice) {
  const NetworkOptions cpu = network_options({"cpu", Precision::kFp32, 0, true});
  EXPECT_TRUE(cpu.device.is_cpu());
  EXPECT_FALSE(cpu.channels_last) << "channels-last is for the GPU's tensor cores";
  EXPECT_TRUE(cpu.fuse_reflect_pad);
  EXPECT_FALSE(cpu.conv_autotune) << "never on in a run (network.h)";
}

TEST(Session, SetsThreadsAndInferenceModeAndComputesTheSameNetwork) {
  const EncoderWeights encoder = random_encoder_weights(3);
  const DecoderWeights decoder = random_decoder_weights(4);
  const int threads_before = at::get_num_threads();
  const at::Tensor images = at::rand({2, 3, 24, 32});
  at::Tensor direct;
  {
    // On the session's one thread: oneDNN's result for one image may differ in the last bits with the
    // thread count (docs/RELIABILITY.md), which is not what this compares.
    at::set_num_threads(1);
    const c10::InferenceMode inference;
    const StyleNetwork net(encoder, decoder, network_options({"cpu", Precision::kFp32, 1, false}));
    const auto [mean, std] = net.style_statistics(images);
    direct = net.stylize_features(net.encoder()(images), mean, std, at::tensor({1, 0}, at::kLong), 0.7f);
  }
  {
    const Session session({"cpu", Precision::kFp32, 1, false}, encoder, decoder);
    EXPECT_EQ(session.threads(), 1u);
    EXPECT_EQ(at::get_num_threads(), 1);
    EXPECT_TRUE(c10::InferenceMode::is_enabled());
    EXPECT_TRUE(session.device().is_cpu());
    const StyleNetwork& net = session.network();
    const auto [mean, std] = net.style_statistics(images);
    const at::Tensor out =
        net.stylize_features(net.encoder()(images), mean, std, at::tensor({1, 0}, at::kLong), 0.7f);
    EXPECT_TRUE(at::equal(out, direct)) << "the same weights and options give the same function";
  }
  EXPECT_FALSE(c10::InferenceMode::is_enabled()) << "the session's inference mode ends with it";
  at::set_num_threads(threads_before);
}

}  // namespace
}  // namespace sinforge
