// The harness every `sinforge bench` figure runs in (bench.h): how a figure is registered with Google
// Benchmark, how its region is timed (device events on a GPU, the wall clock on the CPU) and counted, and
// the synthetic photo-like images the figures feed on. Internal to lib/src/tools: bench.cpp (stylization's
// figures) and bench_derive.cpp (derive's) share it.
#pragma once

#include <benchmark/benchmark.h>
#include <c10/core/Device.h>
#include <c10/core/Event.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "sinforge/tools/bench.h"

namespace sinforge::bench {

// The seed of the ImageNet-like mixed content (imagenet_like_sizes): every figure on the mix, and
// write_bench_data's files, are the same images.
inline constexpr uint32_t kMixedContentSeed = 2026;

// Times a region: device events on a GPU (the stream's own clock), the wall clock on the CPU.
class RegionTimer {
 public:
  explicit RegionTimer(at::Device device) : device_(device) {
    if (device_.is_cuda()) {
      start_.emplace(device_.type(), c10::EventFlag::BACKEND_DEFAULT);
      stop_.emplace(device_.type(), c10::EventFlag::BACKEND_DEFAULT);
    }
  }
  void start() {
    if (device_.is_cuda()) {
      start_->record(stream());
    } else {
      t0_ = std::chrono::steady_clock::now();
    }
  }
  double stop() {  // seconds
    if (device_.is_cuda()) {
      stop_->record(stream());
      stop_->synchronize();
      return start_->elapsedTime(*stop_) / 1e3;
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  c10::Stream stream() const { return c10::impl::VirtualGuardImpl(device_.type()).getStream(device_); }
  at::Device device_;
  std::optional<c10::Event> start_, stop_;
  std::chrono::steady_clock::time_point t0_;
};

// Waits for the device's queued work (nothing on the CPU).
void synchronize(at::Device device);

// A photo-like image: smooth colour fields plus fine noise, so the codecs see realistic entropy.
cv::Mat synthetic_image(int w, int h, uint32_t seed);

// Writes photo-like JPEG files of the given sizes as <prefix><i>.jpg under dir, unless there already, and
// lists them.
std::vector<std::filesystem::path> write_sized_jpegs(const std::filesystem::path& dir,
                                                     const std::vector<std::pair<int, int>>& sizes,
                                                     uint32_t seed, const std::string& prefix);

// Items and bytes per second as the figure's rate counters.
void add_counters(benchmark::State& st, double items_per_iteration, double bytes_per_iteration);

// Runs fn once per iteration, timed by the region timer; errors end the figure with their message.
template <typename Fn>
void timed_loop(benchmark::State& st, at::Device device, double items, double bytes, Fn&& fn) {
  try {
    const c10::InferenceMode inference;
    RegionTimer timer(device);
    fn();  // warm-up: allocations, cuDNN's algorithm search, codec tables
    synchronize(device);
    for (auto _ : st) {
      timer.start();
      fn();
      st.SetIterationTime(timer.stop());
    }
    add_counters(st, items, bytes);
  } catch (const std::exception& e) {
    st.SkipWithError(e.what());
  }
}

// Registers figures in the order they are reported, with the options' timing and repetitions.
struct Registrar {
  const BenchOptions& options;
  std::vector<std::string>& order;

  template <typename Fn>
  void add(const std::string& name, Fn&& fn) {
    order.push_back(name);
    benchmark::internal::Benchmark* b = benchmark::RegisterBenchmark(name.c_str(), std::forward<Fn>(fn));
    b->UseManualTime()->Unit(benchmark::kSecond)->MinTime(options.min_time);
    if (options.repetitions > 1) b->Repetitions(options.repetitions)->ReportAggregatesOnly(true);
  }
};

}  // namespace sinforge::bench
