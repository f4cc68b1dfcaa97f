// The stylizer on its own (no CLI): every readable content image gives one result per style, equal to the
// network run on that image alone; unreadable ones are skipped and recorded; results that an earlier run
// wrote are not handed over again; a stop request before the start leaves everything for the rerun.
#include "sinforge/pipeline/stylizer.h"

#include <gtest/gtest.h>

#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/stop.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/tensor_image.h"
#include "sinforge/records/records.h"
#include "sinforge/weights/random_weights.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Keeps what the stylizer hands over, by planned output path.
class RecordingSink : public OutputSink {
 public:
  void write(OutputSample sample, cv::Mat rgb) override {
    const std::lock_guard lock(mutex_);
    results[sample.entry.output] = rgb;
    painting[sample.entry.output] = sample.entry.painting;
  }
  void finish() override {}
  size_t written() const override { return results.size(); }

  std::map<std::string, cv::Mat> results;
  std::map<std::string, std::string> painting;

 private:
  std::mutex mutex_;
};

cv::Mat noise(int w, int h, int seed) {
  cv::Mat m(h, w, CV_8UC3);
  cv::theRNG().state = static_cast<uint64_t>(seed);
  cv::randu(m, 0, 256);
  return m;
}

class Stylizer : public ::testing::Test {
 protected:
  Stylizer() : net_(random_encoder_weights(1), random_decoder_weights(2), NetworkOptions{}) {
    // Five images of two sizes (so two buckets) and one file that is not an image.
    const std::vector<std::pair<int, int>> sizes = {{40, 32}, {24, 24}, {40, 32}, {24, 24}, {40, 32}};
    for (size_t i = 0; i < sizes.size(); ++i) {
      const fs::path rel = "c/img" + std::to_string(i) + ".png";
      write_file_atomic(tmp_ / "content" / rel,
                        encode_image(noise(sizes[i].first, sizes[i].second, int(i)), ImageFormat::kPng));
      contents_.push_back(rel);
    }
    testing::write_bytes(tmp_ / "content" / "c" / "broken.png", std::string_view("not an image"));
    contents_.push_back("c/broken.png");
    const auto [mean, std] = net_.style_statistics(images_to_tensor({noise(32, 32, 10)}));
    const auto [mean2, std2] = net_.style_statistics(images_to_tensor({noise(32, 32, 11)}));
    bank_.paintings = {"p0.jpg", "p1.jpg"};
    bank_.mean = at::cat({mean, mean2});
    bank_.std = at::cat({std, std2});
  }

  // The network on one image with painting p, as bytes: what a batch of one computes.
  cv::Mat alone(const fs::path& rel, size_t p, float alpha) const {
    const cv::Mat image = read_image(tmp_ / "content" / rel);
    const at::Tensor features = net_.encoder()(images_to_tensor({image}));
    const at::Tensor index = at::tensor({static_cast<int64_t>(p)}, at::kLong);
    return tensor_to_images(net_.stylize_features(features, bank_.mean, bank_.std, index, alpha), image.cols,
                            image.rows)[0];
  }

  StylizeSettings settings(int batch_size) const {
    StylizeSettings s;
    s.content_dir = tmp_ / "content";
    s.alpha = 0.8f;
    s.batch_size = batch_size;
    return s;
  }

  const c10::InferenceMode inference_;
  TempDir tmp_;
  StyleNetwork net_;
  StyleBank bank_;
  std::vector<fs::path> contents_;
};

TEST_F(Stylizer, EveryStyleOfEveryReadableImageEqualsTheImageAlone) {
  const auto planned = plan_outputs(contents_, bank_.paintings, {4, 2, true});
  ThreadPool decoders(2);
  RecordingSink sink;
  RunRecorder recorder(tmp_ / "out", ShardId{});
  BatchingStats batching;
  StylizeSettings s = settings(2);
  s.batching = &batching;
  const size_t skipped = stylize_contents(planned, bank_, net_, s, decoders, sink, recorder);
  EXPECT_EQ(skipped, 1u) << "the file that is not an image";
  EXPECT_EQ(sink.results.size(), 10u) << "five images, two styles each";
  EXPECT_EQ(batching.images, 5u);
  for (const PlannedContent& p : planned) {
    if (p.relative == "c/broken.png") continue;
    for (size_t k = 0; k < 2; ++k) {
      const std::string out = p.outputs[k].generic_string();
      ASSERT_EQ(sink.results.count(out), 1u) << out;
      EXPECT_EQ(sink.painting[out], bank_.paintings[p.paintings[k]].generic_string());
      const cv::Mat want = alone(p.relative, p.paintings[k], 0.8f);
      ASSERT_EQ(sink.results[out].size(), want.size()) << out;
      // Batched convolutions may round differently in the last bit of a float: within one level.
      EXPECT_LE(cv::norm(sink.results[out], want, cv::NORM_INF), 1.0) << out;
    }
  }
  const auto skips = read_csv(skipped_path(tmp_ / "out", ShardId{}));
  ASSERT_EQ(skips.size(), 2u) << "a header and one row";
  EXPECT_EQ(skips[1][0], "content");
  EXPECT_EQ(skips[1][1], "c/broken.png");
}

TEST_F(Stylizer, OutputsOfAnEarlierRunAreNotHandedOverAgain) {
  const auto planned = plan_outputs(contents_, bank_.paintings, {4, 1, true});
  ThreadPool decoders(1);
  RecordingSink sink;
  RunRecorder recorder(tmp_ / "out", ShardId{});
  StylizeSettings s = settings(4);
  s.existing_outputs = {planned[0].outputs[0], planned[3].outputs[0]};
  stylize_contents(planned, bank_, net_, s, decoders, sink, recorder);
  EXPECT_EQ(sink.results.size(), 3u);
  EXPECT_EQ(sink.results.count(planned[0].outputs[0].generic_string()), 0u);
  EXPECT_EQ(sink.results.count(planned[1].outputs[0].generic_string()), 1u);
}

// A failure of the machine while decoding (here: no file descriptor left) is no skip, which resume would
// never retry: it stops the run, and nothing is recorded as skipped.
TEST_F(Stylizer, ATransientReadErrorStopsTheRunInsteadOfSkipping) {
  const auto planned = plan_outputs(contents_, bank_.paintings, {4, 1, true});
  ThreadPool decoders(2);
  RecordingSink sink;
  {
    RunRecorder recorder(tmp_ / "out", ShardId{});
    const testing::NoFreeFileDescriptors no_fds;
    EXPECT_THROW(stylize_contents(planned, bank_, net_, settings(2), decoders, sink, recorder),
                 std::system_error);
  }
  const auto skips = read_csv(skipped_path(tmp_ / "out", ShardId{}));
  EXPECT_EQ(skips.size(), 1u) << "only the header: "
                              << (skips.size() > 1 ? skips[1][1] + ": " + skips[1][2] : "");
}

// Fails, with the out-of-memory error a device gives, the fail_at-th CPU allocation of exactly `bytes`
// bytes (counting from 1; 0: none), and counts them: a way to run out of memory on one chosen step.
class FailingCpuAllocator : public c10::Allocator {
 public:
  FailingCpuAllocator(size_t bytes, size_t fail_at)
      : inner_(c10::GetCPUAllocator()), bytes_(bytes), fail_at_(fail_at) {
    c10::SetCPUAllocator(this, kPriority);
  }
  ~FailingCpuAllocator() override { c10::SetCPUAllocator(inner_, kPriority); }
  FailingCpuAllocator(const FailingCpuAllocator&) = delete;
  FailingCpuAllocator& operator=(const FailingCpuAllocator&) = delete;

  c10::DataPtr allocate(size_t n) override {
    if (n == bytes_) {
      const size_t count = ++seen_;
      TORCH_CHECK_WITH(OutOfMemoryError, count != fail_at_, "test allocator: out of memory at allocation ",
                       count, " of ", n, " bytes");
    }
    return inner_->allocate(n);
  }
  void copy_data(void* dest, const void* src, std::size_t count) const override {
    default_copy_data(dest, src, count);
  }
  c10::DeleterFnPtr raw_deleter() const override { return inner_->raw_deleter(); }
  size_t seen() const { return seen_; }

 private:
  static constexpr uint8_t kPriority = 200;
  c10::Allocator* inner_;
  size_t bytes_, fail_at_;
  std::atomic<size_t> seen_{0};
};

// Out of memory on style 1 of a batch of one image: neither style is handed over, the image is recorded as
// skipped, so that the record and the outputs agree (a resume would otherwise never complete it).
TEST_F(Stylizer, OutOfMemoryOnALaterStyleHandsOverNoStyleOfThatImage) {
  // 37x29: its 8-bit result, 37 * 29 * 3 bytes, is odd, so no float tensor has its size.
  const fs::path rel = "odd/odd.png";
  write_file_atomic(tmp_ / "content" / rel, encode_image(noise(37, 29, 5), ImageFormat::kPng));
  const size_t bytes = 37 * 29 * 3;
  size_t per_style = 0;
  {  // How many allocations of that size one style makes.
    const auto one = plan_outputs({rel}, bank_.paintings, {4, 1, true});
    ThreadPool decoders(1);
    RecordingSink sink;
    RunRecorder recorder(tmp_ / "calibration", ShardId{});
    const FailingCpuAllocator counting(bytes, 0);
    stylize_contents(one, bank_, net_, settings(2), decoders, sink, recorder);
    ASSERT_EQ(sink.results.size(), 1u);
    per_style = counting.seen();
  }
  ASSERT_GT(per_style, 0u);
  const auto planned = plan_outputs({rel}, bank_.paintings, {4, 2, true});
  ThreadPool decoders(1);
  RecordingSink sink;
  {
    RunRecorder recorder(tmp_ / "out", ShardId{});
    const FailingCpuAllocator failing(bytes, per_style + 1);  // style 1's first
    EXPECT_EQ(stylize_contents(planned, bank_, net_, settings(2), decoders, sink, recorder), 1u);
    EXPECT_GT(failing.seen(), per_style) << "style 1 never ran";
  }
  EXPECT_TRUE(sink.results.empty()) << "a style of a skipped image was handed over: "
                                    << (sink.results.empty() ? "" : sink.results.begin()->first);
  const auto skips = read_csv(skipped_path(tmp_ / "out", ShardId{}));
  ASSERT_EQ(skips.size(), 2u);
  EXPECT_EQ(skips[1][1], rel.generic_string());
  EXPECT_NE(skips[1][2].find("too large for the device"), std::string::npos) << skips[1][2];
}

TEST_F(Stylizer, AStopRequestedBeforeTheStartLeavesEverythingForTheRerun) {
  const auto planned = plan_outputs(contents_, bank_.paintings, {4, 1, true});
  ThreadPool decoders(1);
  RecordingSink sink;
  RunRecorder recorder(tmp_ / "out", ShardId{});
  request_stop(15);
  const size_t skipped = stylize_contents(planned, bank_, net_, settings(2), decoders, sink, recorder);
  clear_stop();
  EXPECT_EQ(skipped, 0u);
  EXPECT_TRUE(sink.results.empty());
}

}  // namespace
}  // namespace sinforge
