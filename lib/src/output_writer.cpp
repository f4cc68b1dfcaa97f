#include "sinforge/output_writer.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace sinforge {
namespace {

// Test seam: SINFORGE_FAULT_WRITE_AFTER=N makes every output write after the first N fail as a full disk
// would (ENOSPC), so the tests can check a clean stop and a resume where no small filesystem can be
// mounted. Read once; unset in normal use.
void fail_if_fault_injected(const std::filesystem::path& target) {
  static const std::optional<long long> limit = []() -> std::optional<long long> {
    const char* value = std::getenv("SINFORGE_FAULT_WRITE_AFTER");
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::atoll(value);
  }();
  static std::atomic<long long> writes{0};
  if (limit && writes.fetch_add(1) >= *limit) {
    throw std::runtime_error(target.string() + ": write failed (" + std::strerror(ENOSPC) +
                             ") [SINFORGE_FAULT_WRITE_AFTER]");
  }
}

}  // namespace

OutputWriter::OutputWriter(size_t threads, ImageFormat format, int jpeg_quality)
    : format_(format), quality_(jpeg_quality), pool_(threads) {}

OutputWriter::~OutputWriter() {
  for (auto& f : in_flight_) f.wait();
}

void OutputWriter::write(std::filesystem::path target, cv::Mat rgb, std::function<void()> on_written) {
  while (in_flight_.size() >= pool_.size() * 4) finish_oldest();
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
