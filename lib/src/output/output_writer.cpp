#include "sinforge/output/output_writer.h"

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/core/fault_injection.h"
#include "sinforge/core/log.h"
#include "sinforge/core/queue_depths.h"

namespace sinforge {

void validate_encode_flags(const EncodeOptions& e) {
  if (e.jpeg_quality < 1 || e.jpeg_quality > 100) throw UsageError("--quality must lie in [1, 100]");
  if (e.png_level < kMinPngLevel || e.png_level > kMaxPngLevel)
    throw UsageError(str_cat("--png-level must lie in [", kMinPngLevel, ", ", kMaxPngLevel, "]"));
}

OutputWriter::OutputWriter(size_t threads, EncodeOptions encoding)
    : encoding_(encoding), syncs_(threads * kQueueDepths.sync_threads_per_encoder), pool_(threads) {}

OutputWriter::~OutputWriter() {
  for (auto& f : in_flight_) {
    try {
      f.get().wait();
    } catch (...) {  // a failed first stage: nothing was handed over
    }
  }
}

void OutputWriter::write(std::filesystem::path target, cv::Mat rgb, std::function<void()> on_written) {
  while (in_flight_.size() >= pool_.size() * kQueueDepths.encode_ahead_per_thread) finish_oldest();
  in_flight_.push_back(pool_.submit(
      [this, target = std::move(target), rgb = std::move(rgb), on_written = std::move(on_written)]() mutable {
        fail_if_fault_injected(target);
        return syncs_.submit([pending = write_file_pending(target, encode_image(rgb, encoding_)),
                              on_written = std::move(on_written)]() mutable {
          pending.commit();
          if (on_written) on_written();
        });
      }));
}

void OutputWriter::finish() {
  while (!in_flight_.empty()) finish_oldest();
}

void OutputWriter::finish_oldest() {
  std::future<std::future<void>> oldest = std::move(in_flight_.front());
  in_flight_.pop_front();
  oldest.get().get();  // rethrows a failed write: the run stops (disk full, folder unwritable)
  ++written_;
}

}  // namespace sinforge
