// The thread faults and the monitor run on: ticks at its period, stops at
// once however long the period, and ends when its tick says so.
#include "harness/periodic_thread.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST(PeriodicThread, StopWakesAThreadSleepingALongPeriodAtOnce) {
  PeriodicThread t;
  std::atomic<int> ticks{0};
  t.Start(std::chrono::hours(1), PeriodicThread::First::kTickAfterOnePeriod, [&] {
    ++ticks;
    return true;
  });
  std::this_thread::sleep_for(milliseconds(20));
  const auto t0 = Clock::now();
  t.Stop();
  EXPECT_LT(Clock::now() - t0, milliseconds(500)) << "Stop waited for the period";
  EXPECT_EQ(ticks.load(), 0) << "ticked before its first period";
  EXPECT_FALSE(t.running());
}

TEST(PeriodicThread, TicksAtItsPeriodFromTheStartWhenAsked) {
  PeriodicThread t;
  std::atomic<int> ticks{0};
  t.Start(milliseconds(10), PeriodicThread::First::kTickAtStart, [&] {
    ++ticks;
    return true;
  });
  std::this_thread::sleep_for(milliseconds(205));
  t.Stop();
  // 21 ticks on time; a loaded machine delays some, never adds any.
  EXPECT_GE(ticks.load(), 5);
  EXPECT_LE(ticks.load(), 22);
}

TEST(PeriodicThread, ATickReturningFalseEndsTheThreadAndStopStillJoins) {
  PeriodicThread t;
  std::atomic<int> ticks{0};
  t.Start(milliseconds(1), PeriodicThread::First::kTickAtStart, [&] { return ++ticks < 3; });
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(ticks.load(), 3);
  t.Stop();
  t.Stop();  // idempotent
}

TEST(PeriodicThread, SleepForInsideATickIsCutShortByStop) {
  PeriodicThread t;
  std::atomic<bool> woke_early{false};
  t.Start(milliseconds(1), PeriodicThread::First::kTickAtStart, [&] {
    woke_early = !t.SleepFor(std::chrono::hours(1));
    return false;
  });
  std::this_thread::sleep_for(milliseconds(20));
  const auto t0 = Clock::now();
  t.Stop();
  EXPECT_LT(Clock::now() - t0, milliseconds(500));
  EXPECT_TRUE(woke_early.load());
  EXPECT_TRUE(t.stopping());
}

}  // namespace
}  // namespace ledgerstress
