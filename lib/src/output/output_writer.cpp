#include "sinforge/output/output_writer.h"

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/fault_injection.h"
#include "sinforge/core/queue_depths.h"

namespace sinforge {

OutputWriter::OutputWriter(size_t threads, ImageFormat format, int jpeg_quality)
    : format_(format), quality_(jpeg_quality), pool_(threads) {}

OutputWriter::~OutputWriter() {
  for (auto& f : in_flight_) f.wait();
}

void OutputWriter::write(std::filesystem::path target, cv::Mat rgb, std::function<void()> on_written) {
  while (in_flight_.size() >= pool_.size() * kQueueDepths.encode_ahead_per_thread) finish_oldest();
  in_flight_.push_back(pool_.submit(
      [this, target = std::move(target), rgb = std::move(rgb), on_written = std::move(on_written)] {
        fail_if_fault_injected(target);
        write_file_atomic(target, encode_image(rgb, format_, quality_));
        if (on_written) on_written();
      }));
}

void OutputWriter::finish() {
  while (!in_flight_.empty()) finish_oldest();
}

void OutputWriter::finish_oldest() {
  std::future<void> oldest = std::move(in_flight_.front());
  in_flight_.pop_front();
  oldest.get();  // rethrows a failed write: the run stops (disk full, folder unwritable)
  ++written_;
}

}  // namespace sinforge
