#include "harness/interrupt.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

TEST(StopSource, RemoveCallbackWaitsForACallbackInFlight) {
  StopSource stop;
  std::atomic<bool> started{false}, finished{false};
  const int h = stop.AddCallback([&] {
    started = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    finished = true;
  });
  std::thread requester([&] { stop.RequestStop(); });
  while (!started) std::this_thread::yield();
  stop.RemoveCallback(h);
  EXPECT_TRUE(finished) << "RemoveCallback returned while its callback was still running";
  requester.join();
}

TEST(StopSource, ACallbackAddedAfterTheStopRunsAtOnceAndRemovedOnesNever) {
  StopSource stop;
  int ran = 0;
  const int h = stop.AddCallback([&] { ran += 10; });
  stop.RemoveCallback(h);
  stop.RequestStop();
  EXPECT_EQ(ran, 0);
  stop.AddCallback([&] { ++ran; });
  EXPECT_EQ(ran, 1);
  EXPECT_TRUE(stop.stop_requested());
}

}  // namespace
}  // namespace ledgerstress
