// The thread pool: every task runs and returns its result, and a task's exception reaches its future.
// (The ordered loader built on it has its own tests.)
#include <gtest/gtest.h>

#include <future>
#include <stdexcept>
#include <vector>

#include "sinforge/core/thread_pool.h"

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

}  // namespace
}  // namespace sinforge
