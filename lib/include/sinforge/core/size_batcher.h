// Groups a stream of images into batches of one size, as the network needs them. Pure: no tensors, no
// devices, no clocks, so the batching policy is tested and measured (bench) on its own.
//
// Policy: one bucket per size. A bucket is released when it holds its capacity, or once its first image has
// waited for `deadline` further inputs (so rare sizes do not pile up and hold memory); at the end the rest
// go out oldest first. The deadline counts inputs, not seconds, so the batches, and with them the outputs,
// are the same on every rerun. Inputs that yield no image (a skipped file) still advance the count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <utility>
#include <vector>

namespace sinforge {

// How full the released batches were: the cost of a mix of sizes.
struct BatchingStats {
  size_t batches = 0;
  size_t images = 0;
  size_t full_batches = 0;  // released at capacity
  size_t images_in_full_batches = 0;
  size_t capacity_sum = 0;  // sum of the released batches' capacities

  // Images per batch over the batches' capacity, 0..1.
  double fill() const { return capacity_sum == 0 ? 0.0 : static_cast<double>(images) / capacity_sum; }
  double mean_batch() const { return batches == 0 ? 0.0 : static_cast<double>(images) / batches; }
};

template <typename T>
class SizeBatcher {
 public:
  using Size = std::pair<int, int>;  // width, height
  using Batch = std::vector<T>;

  // capacity(size): the most images of that size in one batch (at least 1); asked once per bucket opening.
  SizeBatcher(size_t deadline, std::function<int(Size)> capacity)
      : deadline_(std::max<size_t>(1, deadline)), capacity_(std::move(capacity)) {}

  // One input that yielded no image: only the deadline clock moves; expired buckets go out with the next
  // image (which joins its own bucket first).
  void skip() { ++position_; }

  // One image: the batches due now, in the order to run them (its own bucket first when that filled up).
  std::vector<Batch> add(Size size, T item) {
    ++position_;
    std::vector<Batch> due;
    Bucket& bucket = buckets_[size];
    if (bucket.items.empty()) {
      bucket.opened_at = position_;
      bucket.capacity = std::max(1, capacity_(size));
    }
    bucket.items.push_back(std::move(item));
    if (static_cast<int>(bucket.items.size()) >= bucket.capacity) due.push_back(release(bucket));
    for (Batch& b : release_expired()) due.push_back(std::move(b));
    return due;
  }

  // Everything still waiting, oldest bucket first.
  std::vector<Batch> drain() {
    std::vector<Bucket*> rest;
    for (auto& [size, bucket] : buckets_)
      if (!bucket.items.empty()) rest.push_back(&bucket);
    std::sort(rest.begin(), rest.end(),
              [](const Bucket* a, const Bucket* b) { return a->opened_at < b->opened_at; });
    std::vector<Batch> due;
    for (Bucket* bucket : rest) due.push_back(release(*bucket));
    return due;
  }

  const BatchingStats& stats() const { return stats_; }

 private:
  struct Bucket {
    Batch items;
    size_t opened_at = 0;  // position of its first image
    int capacity = 1;
  };

  std::vector<Batch> release_expired() {
    std::vector<Batch> due;
    for (auto& [size, bucket] : buckets_) {
      if (!bucket.items.empty() && position_ - bucket.opened_at >= deadline_) due.push_back(release(bucket));
    }
    return due;
  }

  Batch release(Bucket& bucket) {
    Batch out = std::move(bucket.items);
    bucket.items.clear();
    ++stats_.batches;
    stats_.images += out.size();
    stats_.capacity_sum += static_cast<size_t>(bucket.capacity);
    if (static_cast<int>(out.size()) >= bucket.capacity) {
      ++stats_.full_batches;
      stats_.images_in_full_batches += out.size();
    }
    return out;
  }

  size_t deadline_;
  std::function<int(Size)> capacity_;
  std::map<Size, Bucket> buckets_;
  size_t position_ = 0;
  BatchingStats stats_;
};

// The batching of a whole sequence of sizes (bench and tests): the stats, nothing run.
inline BatchingStats simulate_batching(const std::vector<std::pair<int, int>>& sizes, int capacity,
                                       size_t deadline) {
  SizeBatcher<size_t> batcher(deadline, [capacity](std::pair<int, int>) { return capacity; });
  for (size_t i = 0; i < sizes.size(); ++i) batcher.add(sizes[i], i);
  batcher.drain();
  return batcher.stats();
}

}  // namespace sinforge
