// FoundOnce: found by the first use only, the same object for every later use and every thread,
// and a copy finds the value again rather than sharing or double-freeing it.
#include "engine/common/found_once.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tutti::engine {
namespace {

TEST(FoundOnce, FindsOnFirstUseOnlyAndKeepsTheValue) {
  FoundOnce<std::vector<int>> once;
  int finds = 0;
  const auto find = [&] {
    ++finds;
    return std::vector<int>{1, 2, 3};
  };
  const std::vector<int>& first = once.get(find);
  const std::vector<int>& second = once.get(find);
  EXPECT_EQ(finds, 1);
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(first, (std::vector<int>{1, 2, 3}));
}

TEST(FoundOnce, ConcurrentFirstUsesAllGetTheOnePublishedValue) {
  FoundOnce<std::vector<int>> once;
  std::atomic<int> finds{0};
  std::vector<const std::vector<int>*> seen(8, nullptr);
  {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) {
      threads.emplace_back([&, t] {
        seen[t] = &once.get([&] {
          ++finds;
          return std::vector<int>(1000, 7);
        });
      });
    }
    for (auto& thread : threads) thread.join();
  }
  EXPECT_GE(finds.load(), 1);
  for (const auto* value : seen) EXPECT_EQ(value, seen[0]);
  EXPECT_EQ(*seen[0], std::vector<int>(1000, 7));
}

TEST(FoundOnce, ACopyFindsTheValueAgain) {
  FoundOnce<int> once;
  const int& original = once.get([] { return 5; });
  FoundOnce<int> copy = once;
  int finds = 0;
  const int& copied = copy.get([&] {
    ++finds;
    return 6;
  });
  EXPECT_EQ(finds, 1);
  EXPECT_NE(&copied, &original);
  EXPECT_EQ(copied, 6);
  copy = once;  // assignment drops the copy's value too
  EXPECT_EQ(copy.get([] { return 8; }), 8);
  EXPECT_EQ(once.get([] { return 9; }), 5);
}

}  // namespace
}  // namespace tutti::engine
