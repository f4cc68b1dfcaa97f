// The size-bucketed batching (size_batcher.h) on its own: capacity, the deadline counted in inputs, skips,
// the drain order and the fill statistics.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sinforge/core/size_batcher.h"

namespace sinforge {
namespace {

using Size = std::pair<int, int>;
using Batches = std::vector<std::vector<int>>;

const Size kA{500, 375};
const Size kB{375, 500};
const Size kC{640, 480};

SizeBatcher<int> batcher(size_t deadline, int capacity) {
  return SizeBatcher<int>(deadline, [capacity](Size) { return capacity; });
}

void append(Batches& all, std::vector<std::vector<int>> due) {
  for (auto& b : due) all.push_back(std::move(b));
}

TEST(SizeBatcher, ReleasesABucketWhenItIsFull) {
  auto b = batcher(100, 3);
  Batches out;
  append(out, b.add(kA, 0));
  append(out, b.add(kB, 1));
  append(out, b.add(kA, 2));
  EXPECT_TRUE(out.empty());
  append(out, b.add(kA, 3));
  EXPECT_EQ(out, (Batches{{0, 2, 3}}));
  append(out, b.drain());
  EXPECT_EQ(out, (Batches{{0, 2, 3}, {1}}));
}

TEST(SizeBatcher, ADeadlineCountedInInputsReleasesRareSizes) {
  // Deadline 3: B opened at input 2 goes out once input 5 has arrived, with whatever it holds.
  auto b = batcher(3, 10);
  Batches out;
  append(out, b.add(kA, 1));
  append(out, b.add(kB, 2));
  append(out, b.add(kA, 3));
  EXPECT_TRUE(out.empty());
  append(out, b.add(kA, 4));  // A opened at 1, now 4: expired, out with its own new image
  EXPECT_EQ(out, (Batches{{1, 3, 4}}));
  append(out, b.add(kC, 5));  // B opened at 2, now 5
  EXPECT_EQ(out, (Batches{{1, 3, 4}, {2}}));
}

TEST(SizeBatcher, SkipsMoveTheClockAndTheNextImageJoinsItsBucketFirst) {
  auto b = batcher(2, 10);
  Batches out;
  append(out, b.add(kA, 1));
  b.skip();  // position 2
  b.skip();  // position 3: A is due, but nothing is released by a skip
  append(out, b.add(kA, 4));
  EXPECT_EQ(out, (Batches{{1, 4}}));
}

TEST(SizeBatcher, DrainsTheOldestBucketFirstAndCountsTheFill) {
  auto b = batcher(100, 4);
  Batches out;
  for (int i = 0; i < 4; ++i) append(out, b.add(kA, i));  // one full batch
  append(out, b.add(kC, 10));
  append(out, b.add(kB, 20));
  append(out, b.add(kB, 21));
  append(out, b.drain());
  EXPECT_EQ(out, (Batches{{0, 1, 2, 3}, {10}, {20, 21}}));
  const BatchingStats& s = b.stats();
  EXPECT_EQ(s.batches, 3u);
  EXPECT_EQ(s.images, 7u);
  EXPECT_EQ(s.full_batches, 1u);
  EXPECT_EQ(s.images_in_full_batches, 4u);
  EXPECT_DOUBLE_EQ(s.fill(), 7.0 / 12.0);
  EXPECT_DOUBLE_EQ(s.mean_batch(), 7.0 / 3.0);
}

TEST(SizeBatcher, CapacityIsAskedPerSize) {
  SizeBatcher<int> b(100, [](Size s) { return s == kA ? 2 : 0; });  // 0 is raised to 1
  Batches out;
  append(out, b.add(kB, 1));
  append(out, b.add(kA, 2));
  append(out, b.add(kA, 3));
  EXPECT_EQ(out, (Batches{{1}, {2, 3}}));
}

TEST(SizeBatcher, SimulationOfOneSizeFillsEveryBatchAndOfDistinctSizesNone) {
  const std::vector<Size> same(40, kA);
  const BatchingStats full = simulate_batching(same, 8, 32);
  EXPECT_EQ(full.batches, 5u);
  EXPECT_DOUBLE_EQ(full.fill(), 1.0);
  std::vector<Size> distinct;
  for (int i = 0; i < 40; ++i) distinct.emplace_back(100 + i, 100);
  const BatchingStats single = simulate_batching(distinct, 8, 32);
  EXPECT_EQ(single.batches, 40u);
  EXPECT_EQ(single.full_batches, 0u);
  EXPECT_DOUBLE_EQ(single.mean_batch(), 1.0);
}

}  // namespace
}  // namespace sinforge
