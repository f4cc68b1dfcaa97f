#include "sinforge/image/tar_source.h"

#include <condition_variable>
#include <mutex>
#include <optional>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/tar_stream.h"

namespace sinforge {

struct TarContentSource::TarState {
  std::mutex mutex;
  std::condition_variable turn;
  size_t next = 0;  // the position whose load may read now
  std::unique_ptr<TarStream> stream;
  std::string broken;  // non-empty: the tar broke off (why); later items fail
};

TarContentSource::TarContentSource(std::vector<std::filesystem::path> tars, const std::vector<Item>& items)
    : tars_(std::move(tars)), items_(items), count_(tars_.size(), 0) {
  position_.reserve(items_.size());
  for (const Item& item : items_) position_.push_back(count_.at(item.tar)++);
  for (size_t t = 0; t < tars_.size(); ++t) states_.push_back(std::make_unique<TarState>());
}

TarContentSource::~TarContentSource() = default;

std::string TarContentSource::read(size_t i) {
  const Item& item = items_.at(i);
  const std::string label = tar_member_label(tars_[item.tar], item.member);
  TarState& s = *states_[item.tar];
  std::unique_lock lock(s.mutex);
  s.turn.wait(lock, [&] { return s.next == position_[i]; });
  // Whatever happens below, the tar's next item gets its turn.
  struct Advance {
    TarState& s;
    bool last;
    ~Advance() {
      ++s.next;
      if (last) s.stream.reset();  // the tar is done: its file closed
      s.turn.notify_all();
    }
  } advance{s, position_[i] + 1 == count_[item.tar]};
  if (!s.broken.empty()) throw DecodeError(label + ": " + s.broken);
  try {
    if (!s.stream) s.stream = std::make_unique<TarStream>(tars_[item.tar]);
    std::string name;
    uint64_t size = 0;
    while (s.stream->next(name, size)) {
      if (name == item.member) return s.stream->read_data();
    }
    s.broken = "the tar ends before this member (was it changed since the scan?)";
  } catch (const TarStreamError& e) {
    s.broken = str_cat("the tar breaks off: ", e.what());
  }
  throw DecodeError(label + ": " + s.broken);
}

}  // namespace sinforge
