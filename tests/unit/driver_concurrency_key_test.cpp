// [drivers.<name>] concurrency: read as a count of calls in flight, and
// refused at its position, or at the case key it cannot serve, when it
// cannot work: out of range, with deadlock injection (which tells whose
// call a session runs by a per-worker application_name), or in the close
// workload.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;

// A ledger case through driver `pool` with `concurrency`, plus `extra` keys.
std::string PoolText(const std::string& concurrency, const std::string& extra = "") {
  return "[drivers.pool]\ncommand = [\"/usr/bin/python3\", \"pool.py\"]\n" + concurrency +
         "\n[[case]]\nname = \"a\"\ndriver = \"pool\"\nworkload = \"ledger\"\nworkers = 8\nduration = \"1s\"\n"
         "mix = { deposit = 1, pledge_funds = 1 }\n" + extra;
}

TEST(DriverConcurrencyKey, DefaultsToOneCallAtATime) {
  const Scenario s = ParseScenario(PoolText(""), "s.toml", {});
  EXPECT_EQ(s.cases[0].driver->concurrency, 1);
  EXPECT_EQ(s.cases[0].driver->concurrency_where, "");
}

TEST(DriverConcurrencyKey, IsReadWithItsPosition) {
  const Scenario s = ParseScenario(PoolText("concurrency = 4"), "s.toml", {});
  EXPECT_EQ(s.cases[0].driver->concurrency, 4);
  EXPECT_EQ(s.cases[0].driver->concurrency_where, "s.toml:3:15");
}

TEST(DriverConcurrencyKey, OutOfRangeOrNotAnIntegerIsRefusedAtTheKey) {
  for (const char* bad : {"concurrency = 0", "concurrency = 65", "concurrency = \"4\"", "concurrency = 2.5"}) {
    EXPECT_EQ(testing::LoadError(PoolText(bad)),
              "s.toml:3:15: 'concurrency' must be an integer from 1 to 64: the calls one driver process has in "
              "flight at once")
        << bad;
  }
  EXPECT_EQ(testing::LoadError(PoolText("concurrency = 64")), "(no error)");
}

TEST(DriverConcurrencyKey, DeadlockInjectionThroughASharedProcessIsRefusedAtTheCaseKey) {
  const std::string error = testing::LoadError(PoolText("concurrency = 4", "deadlock_injection = true\n"));
  EXPECT_THAT(error, HasSubstr("s.toml:11:22: deadlock_injection cannot run through a process shared by several "
                               "workers: driver 'pool' has concurrency = 4 (s.toml:3:15)"));
  EXPECT_EQ(testing::LoadError(PoolText("concurrency = 1", "deadlock_injection = true\n")), "(no error)")
      << "one process per worker, as without the key";
}

TEST(DriverConcurrencyKey, TheCloseWorkloadThroughASharedProcessIsRefusedAtTheWorkloadKey) {
  std::string text = PoolText("concurrency = 2");
  text.replace(text.find("workload = \"ledger\""), 19, "workload = \"close\"");
  const std::string schedule = "duration = \"1s\"\nmix = { deposit = 1, pledge_funds = 1 }\n";
  text.replace(text.find(schedule), schedule.size(), "");
  EXPECT_THAT(testing::LoadError(text),
              HasSubstr("s.toml:7:12: the close workload runs one driver process per closer and per background "
                        "worker: driver 'pool' has concurrency = 2 (s.toml:3:15)"));
  text.replace(text.find("concurrency = 2"), 15, "concurrency = 1");
  EXPECT_EQ(testing::LoadError(text), "(no error)") << "one process per closer, as without the key";
}

TEST(DriverConcurrencyKey, IsAKnownKeyOfTheDriverTable) {
  EXPECT_THAT(testing::LoadError(PoolText("concurency = 4")),
              HasSubstr("unknown key 'concurency' in [drivers.pool] (did you mean 'concurrency'?)"));
}

}  // namespace
}  // namespace ledgerstress
