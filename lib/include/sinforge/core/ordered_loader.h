// Loads items on a thread pool, a bounded window ahead, and hands them out in index order: decoding runs in
// parallel while the consumer sees a deterministic sequence and memory stays bounded. A load that throws
// rethrows from next() for that index; the loader stays safe to destroy (it waits for the loads in flight).
#pragma once

#include <deque>
#include <functional>
#include <future>

#include "sinforge/core/thread_pool.h"

namespace sinforge {

template <typename T>
class OrderedLoader {
 public:
  OrderedLoader(ThreadPool& pool, size_t count, size_t window, std::function<T(size_t)> load)
      : pool_(pool), count_(count), window_(window == 0 ? 1 : window), load_(std::move(load)) {}

  // The next item in index order; false once all count items were handed out.
  bool next(T& out) {
    while (pending_.size() < window_ && submitted_ < count_) {
      const size_t i = submitted_++;
      pending_.push_back(pool_.submit([this, i] { return load_(i); }));
    }
    if (pending_.empty()) return false;
    // Off the queue before get(): a load that throws leaves its future invalid, and the destructor's wait()
    // on an invalid future would throw from a destructor (std::terminate). The exception reaches the caller.
    std::future<T> front = std::move(pending_.front());
    pending_.pop_front();
    out = front.get();
    return true;
  }

  // Waits for the loads in flight so none outlives the loader (their exceptions, if any, are dropped: the
  // caller is already unwinding from one, or stopped early).
  ~OrderedLoader() {
    for (auto& f : pending_) {
      if (f.valid()) f.wait();
    }
  }

 private:
  ThreadPool& pool_;
  size_t count_;
  size_t window_;
  std::function<T(size_t)> load_;
  size_t submitted_ = 0;
  std::deque<std::future<T>> pending_;
};

}  // namespace sinforge
