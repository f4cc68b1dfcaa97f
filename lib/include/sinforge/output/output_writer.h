// Encodes result images and writes them atomically on its own thread pool, a bounded number in flight, so
// the network never waits for a codec or the disk and memory stays flat.
#pragma once

#include <deque>
#include <filesystem>
#include <functional>
#include <future>

#include <opencv2/core.hpp>

#include "sinforge/core/thread_pool.h"
#include "sinforge/image/image_io.h"

namespace sinforge {

class OutputWriter {
 public:
  OutputWriter(size_t threads, ImageFormat format, int jpeg_quality);
  ~OutputWriter();

  // Queues one image; blocks while too many are in flight. A failed earlier write is rethrown here.
  // on_written runs on the writer's thread once the file is complete under its final name.
  void write(std::filesystem::path target, cv::Mat rgb, std::function<void()> on_written = {});
  // Waits for every queued write; rethrows the first failure.
  void finish();
  size_t written() const { return written_; }

 private:
  void finish_oldest();

  ImageFormat format_;
  int quality_;
  ThreadPool pool_;
  std::deque<std::future<void>> in_flight_;
  size_t written_ = 0;
};

}  // namespace sinforge
