// retry_discipline for a driver that retries by itself: judged from its
// reported attempts when it reports them, else from the server's view
// alone (our sessions idle in transaction longer than the threshold: a
// sleep with locks held), and a cannot-run error (exit 3) when that view
// was not sampled -- never a silent skip.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const char kRetrying[] = LEDGERSTRESS_SOURCE_DIR "/tests/e2e/drivers/retrying.py";

// A ledger case with injected deadlocks through the retrying driver.
std::string Scenario(const std::string& mode, bool report, const std::string& extra = "") {
  return "name = \"retrying\"\n[drivers.r]\ncommand = [\"/usr/bin/python3\", \"" + std::string(kRetrying) +
         "\"]\nenv = { RETRY_MODE = \"" + mode + "\", RETRY_REPORT = \"" + (report ? "1" : "0") +
         "\" }\n[[case]]\nname = \"c\"\ndriver = \"r\"\nworkload = \"ledger\"\nworkers = 4\nduration = \"3s\"\n"
         "donors = 40\nmix = { pledge_funds = 3, deposit = 1 }\ndeadlock_injection = true\n"
         "deadlock_every = \"250ms\"\nretry = \"" + mode + "\"\nmax_error_rate = 0.5\n"
         "invariants = [\"acknowledged_writes_durable\", \"money_conserved\", \"balances_match_ledger\", \"idempotent\"]\n" +
         extra;
}

struct Outcome {
  Result r;
  nlohmann::json c;  // the case's report
};

Outcome RunCase(const Scratch& s, const std::string& toml, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run", s.Write("r.toml", toml).string(), "--report-dir", (s / "r").string(),
                                   "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  Outcome out{RunLs(s, args), nullptr};
  const auto j = OnlyReport(s / "r");
  if (j.is_object()) out.c = j["cases"][0];
  return out;
}

nlohmann::json Check(const nlohmann::json& c, const std::string& name) {
  for (const auto& k : c["checks"]) {
    if (k["name"] == name) return k;
  }
  return nullptr;
}

TEST(DriverRetry, ASilentRetryInsideTheAbortedTransactionFailsFromTheServersView) {
  Scratch s;
  const Outcome run = RunCase(s, Scenario("in_transaction", false));
  ASSERT_EQ(run.r.exit_code, 1) << run.r.out << run.r.err;
  const auto k = Check(run.c, "retry_discipline");
  ASSERT_TRUE(k.is_object()) << run.c["checks"].dump();
  EXPECT_FALSE(k["passed"].get<bool>()) << k.dump();
  EXPECT_NE(k["message"].get<std::string>().find("driver 'r' reports no attempts, judged from the server alone"),
            std::string::npos)
      << k.dump();
}

TEST(DriverRetry, ASilentPerTransactionRetryOnTheCasesScheduleHolds) {
  Scratch s;
  const Outcome run = RunCase(s, Scenario("per_transaction", false), {"--set", "retry_base_delay=20ms"});
  ASSERT_EQ(run.r.exit_code, 0) << run.r.out << run.r.err;
  const auto k = Check(run.c, "retry_discipline");
  ASSERT_TRUE(k.is_object()) << "the check runs although the driver reports no attempts: " << run.c["checks"].dump();
  EXPECT_TRUE(k["passed"].get<bool>()) << k.dump();
}

// Its reported backoffs follow the 20 ms schedule init carried. (Not the
// exit code: a reporting driver is judged by the rule for reported retries,
// whose server cross-check -- 2 long idle periods when fewer than 20 calls
// were retried -- a busy machine can reach by descheduling alone.)
TEST(DriverRetry, AReportingPerTransactionRetryFollowsInitsSchedule) {
  Scratch s;
  const Outcome run = RunCase(s, Scenario("per_transaction", true), {"--set", "retry_base_delay=20ms"});
  ASSERT_TRUE(run.c.is_object()) << run.r.out << run.r.err;
  const auto k = Check(run.c, "retry_discipline");
  ASSERT_TRUE(k.is_object()) << run.c["checks"].dump();
  const std::string m = k["message"];
  EXPECT_NE(m.rfind("0 call(s) retried", 0), 0u) << "deadlocks were injected: some call retried: " << m;
  EXPECT_NE(m.find(" 0 backoff(s) off the schedule"), std::string::npos) << m;
  EXPECT_NE(m.find(" 0 retry(ies) without a backoff"), std::string::npos) << m;
  EXPECT_NE(m.find(" 0 sleep(s) with a transaction open"), std::string::npos) << m;
}

TEST(DriverRetry, NoAttemptsAndNoServerSamplesCannotRun) {
  Scratch s;
  const Outcome run = RunCase(s, Scenario("per_transaction", false, "monitor_interval = \"0ms\"\n"));
  ASSERT_EQ(run.r.exit_code, 3) << run.r.out << run.r.err;
  EXPECT_EQ(run.c["verdict"], "error") << run.c.dump();
  EXPECT_NE(run.c["error"].get<std::string>().find("retry_discipline: driver 'r' reports no \"attempts\""),
            std::string::npos)
      << run.c["error"];
}

}  // namespace
}  // namespace ledgerstress::e2e
