#include "harness/engine/barrier.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

TEST(Barrier, NobodyPassesUntilEveryoneArrives) {
  constexpr int kThreads = 8;
  Barrier b(kThreads);
  std::atomic<int> arrived{0};
  std::atomic<int> min_seen_after{kThreads};
  std::vector<std::thread> ts;
  for (int i = 0; i < kThreads; ++i) {
    ts.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        arrived.fetch_add(1);
        ASSERT_TRUE(b.Wait());
        const int seen = arrived.load() - round * kThreads;
        int cur = min_seen_after.load();
        while (seen < cur && !min_seen_after.compare_exchange_weak(cur, seen)) {
        }
        ASSERT_TRUE(b.Wait());  // keep rounds apart
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(min_seen_after.load(), kThreads) << "a thread passed the barrier before all arrived";
}

TEST(Barrier, BreakReleasesWaitersAndFutureWaits) {
  Barrier b(3);
  std::atomic<int> released_false{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i) {
    ts.emplace_back([&] {
      if (!b.Wait()) released_false.fetch_add(1);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  b.Break();
  for (auto& t : ts) t.join();
  EXPECT_EQ(released_false.load(), 2);
  EXPECT_FALSE(b.Wait());
  EXPECT_TRUE(b.broken());
}

}  // namespace
}  // namespace ledgerstress
