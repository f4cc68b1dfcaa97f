// Encodes result images and writes them atomically, a bounded number in flight, so the network never waits
// for a codec or the disk and memory stays flat. Two stages, each its own pool:
//   encode + write the temporary (threads, CPU-bound) -> fsync + rename + on_written (syncs, waiting on the
//   disk)
// so an encoding thread goes on to the next image instead of sleeping in fsync, and the guarantee stays:
// no file under its final name that is not durable, no on_written (a journal row) before the rename.
#pragma once

#include <deque>
#include <filesystem>
#include <functional>
#include <future>

#include <opencv2/core.hpp>

#include "sinforge/core/thread_pool.h"
#include "sinforge/image/image_io.h"

namespace sinforge {

// The flags behind encoding (--quality, --png-level) checked before any work; throws UsageError naming one.
void validate_encode_flags(const EncodeOptions& encoding);

class OutputWriter {
 public:
  OutputWriter(size_t threads, EncodeOptions encoding);
  ~OutputWriter();

  // Queues one image; blocks while too many are in flight. A failed earlier write is rethrown here.
  // on_written runs on the writer's thread once the file is complete under its final name.
  void write(std::filesystem::path target, cv::Mat rgb, std::function<void()> on_written = {});
  // Waits for every queued write; rethrows the first failure.
  void finish();
  size_t written() const { return written_; }

 private:
  void finish_oldest();

  EncodeOptions encoding_;
  ThreadPool syncs_;  // declared before pool_: destroyed after it, so pool_'s tasks can still hand over
  ThreadPool pool_;
  // Each write's first stage, whose result is its second stage's future.
  std::deque<std::future<std::future<void>>> in_flight_;
  size_t written_ = 0;
};

}  // namespace sinforge
