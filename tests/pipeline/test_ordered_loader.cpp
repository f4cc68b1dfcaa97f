// The ordered loader: parallel loading, handed out in index order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "sinforge/core/thread_pool.h"
#include "sinforge/pipeline/ordered_loader.h"

namespace sinforge {
namespace {

TEST(OrderedLoader, HandsOutInIndexOrderDespiteRandomDelays) {
  ThreadPool pool(4);
  std::atomic<int> in_flight{0}, most_in_flight{0};
  OrderedLoader<size_t> loader(pool, 200, 6, [&](size_t i) {
    const int now = ++in_flight;
    int seen = most_in_flight.load();
    while (now > seen && !most_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 500));
    --in_flight;
    return i;
  });
  size_t expected = 0, got = 0;
  while (loader.next(got)) EXPECT_EQ(got, expected++);
  EXPECT_EQ(expected, 200u);
  EXPECT_LE(most_in_flight.load(), 6) << "the window bounds the loads in flight";
}

}  // namespace
}  // namespace sinforge
