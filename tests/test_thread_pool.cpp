// The thread pool and the ordered loader that feed the network.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "sinforge/ordered_loader.h"
#include "sinforge/thread_pool.h"

namespace sinforge {
namespace {

TEST(ThreadPool, RunsEveryTaskAndReturnsResults) {
  ThreadPool pool(3);
  std::vector<std::future<int>> results;
  for (int i = 0; i < 100; ++i) results.push_back(pool.submit([i] { return i * i; }));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(results[i].get(), i * i);
}

TEST(ThreadPool, PropagatesExceptions) {
  ThreadPool pool(2);
  auto f = pool.submit([]() -> int { throw std::runtime_error("boom"); });
  EXPECT_THROW(f.get(), std::runtime_error);
}

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
