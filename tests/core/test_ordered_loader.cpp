// The ordered loader: parallel loading, handed out in index order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sinforge/core/ordered_loader.h"
#include "sinforge/core/thread_pool.h"

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

// A load that throws reaches the caller from next(), and the loader, destroyed with loads still in flight
// behind it, must not throw from its destructor (that would be std::terminate).
TEST(OrderedLoader, AThrowingLoadRethrowsFromNextAndTheLoaderStillDestroysCleanly) {
  ThreadPool pool(2);
  std::vector<size_t> got;
  try {
    OrderedLoader<size_t> loader(pool, 20, 4, [](size_t i) -> size_t {
      if (i == 3) throw std::runtime_error("load 3 failed");
      return i;
    });
    size_t value = 0;
    while (loader.next(value)) got.push_back(value);
    ADD_FAILURE() << "next() did not rethrow the load's exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "load 3 failed");
  }
  EXPECT_EQ(got, (std::vector<size_t>{0, 1, 2})) << "items before the failing one are handed out in order";
}

}  // namespace
}  // namespace sinforge
