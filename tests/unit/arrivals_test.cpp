// The open model's arrival schedule and its case keys.
#include "harness/engine/arrivals.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/scenario_loader.h"
#include <cstdio>
#include <fstream>

#include "reports/json_report.h"
#include "model/metrics.h"
#include "reports/report_reader.h"
#include "model/sweep_figures.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using Clock = ArrivalSchedule::Clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

TEST(ArrivalSchedule, ConstantArrivalsAreEvenlySpacedFromTheFirstAsk) {
  ArrivalSchedule s(200, /*poisson=*/false, 1);
  const auto before = Clock::now();
  const Clock::time_point first = s.Next(0);
  EXPECT_GE(first, before);
  for (int i = 1; i <= 10; ++i) EXPECT_NEAR(Ms(s.Next(0) - first), 5.0 * i, 1e-6);
}

TEST(ArrivalSchedule, PoissonGapsAverageTheRateAndTheSeedReplaysThem) {
  ArrivalSchedule a(1000, true, 42), b(1000, true, 42), c(1000, true, 43);
  std::vector<double> ga, gb, gc;
  Clock::time_point pa = a.Next(0), pb = b.Next(0), pc = c.Next(0);
  for (int i = 0; i < 20000; ++i) {
    const auto na = a.Next(0), nb = b.Next(0), nc = c.Next(0);
    ga.push_back(Ms(na - pa));
    gb.push_back(Ms(nb - pb));
    gc.push_back(Ms(nc - pc));
    pa = na, pb = nb, pc = nc;
  }
  double sum = 0;
  for (double g : ga) sum += g;
  EXPECT_NEAR(sum / static_cast<double>(ga.size()), 1.0, 0.03) << "mean gap 1 ms at 1000/s";
  EXPECT_EQ(ga, gb) << "one seed, one schedule";
  EXPECT_NE(ga, gc);
  EXPECT_GT(*std::max_element(ga.begin(), ga.end()), 5.0) << "exponential gaps, not even ones";
}

TEST(ArrivalSchedule, ANewRoundStartsFromItsFirstAsk) {
  ArrivalSchedule s(10, false, 1);
  s.Next(0);
  s.Next(0);
  const auto before = Clock::now();
  const auto first = s.Next(1);
  EXPECT_GE(first, before) << "round 1 does not inherit round 0's backlog";
  EXPECT_NEAR(Ms(s.Next(1) - first), 100.0, 1e-6);
}

TEST(ArrivalSchedule, TheEndIsTheFirstCallersMomentForEveryone) {
  ArrivalSchedule s(10, false, 1);
  s.Next(0);
  const auto t = Clock::now();
  EXPECT_EQ(s.EndAt(t), t);
  EXPECT_EQ(s.EndAt(t + std::chrono::seconds(1)), t) << "a worker that sees the end later gets the same end";
  s.Next(1);
  const auto u = t + std::chrono::seconds(5);
  EXPECT_EQ(s.EndAt(u), u) << "a new round has not ended";
}

const char kLedger[] = "[[case]]\nname = \"a\"\nworkload = \"ledger\"\nworkers = 2\nduration = \"1s\"\n";

std::string ErrorOf(const std::string& text) {
  try {
    ParseScenario(text, "s.toml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ArrivalKeys, RatesPerSecondOrMinuteAndTheirMetrics) {
  const Scenario s = ParseScenario(std::string(kLedger) + "arrival_rate = \"600/min\"\narrival = \"poisson\"\n"
                                                          "max_start_delay = \"200ms\"\n"
                                                          "thresholds.\"deposit.corrected.p99\" = \"< 50ms\"\n"
                                                          "thresholds.\"arrivals.dropped_ratio\" = \"< 1%\"\n",
                                   "s.toml");
  const CaseSpec& c = s.cases[0];
  EXPECT_DOUBLE_EQ(c.arrival_rate_per_s, 10);
  EXPECT_TRUE(c.arrival_poisson);
  EXPECT_EQ(c.max_start_delay.count(), 200);
  ASSERT_EQ(c.thresholds.size(), 2u);
  for (const Threshold& t : c.thresholds) {
    EXPECT_DOUBLE_EQ(t.limit, t.metric == "deposit.corrected.p99" ? 50 : 0.01) << t.metric;
  }
}

TEST(ArrivalKeys, BadRatesAndKeysWithoutARateAreRefusedAtTheirPosition) {
  EXPECT_EQ(ErrorOf(std::string(kLedger) + "arrival_rate = \"200\"\n"),
            "s.toml:6:16: 'arrival_rate' must be calls per second or per minute, such as \"200/s\" or \"600/min\", "
            "got \"200\"");
  EXPECT_THAT(ErrorOf(std::string(kLedger) + "arrival_rate = \"-3/s\"\n"), HasSubstr("must be calls per second"));
  EXPECT_THAT(ErrorOf(std::string(kLedger) + "arrival_rate = \"3/h\"\n"), HasSubstr("must be calls per second"));
  EXPECT_THAT(ErrorOf(std::string(kLedger) + "arrival = \"poisson\"\n"),
              HasSubstr("s.toml:6:11: 'arrival' needs 'arrival_rate'"));
  EXPECT_THAT(ErrorOf(std::string(kLedger) + "arrival_rate = \"5/s\"\narrival = \"bursty\"\n"),
              HasSubstr("'arrival' must be \"constant\" or \"poisson\""));
  EXPECT_THAT(ErrorOf("[[case]]\nname = \"a\"\nworkload = \"ledger\"\nworkers = 2\ncalls_per_worker = 5\n"
                      "arrival_rate = \"5/s\"\n"),
              HasSubstr("'arrival_rate' needs 'duration', not 'calls_per_worker'"));
  EXPECT_THAT(ErrorOf("[[case]]\nname = \"a\"\nworkers = 2\ncalls_per_worker = 1\narrival_rate = \"5/s\"\n"),
              HasSubstr("'arrival_rate' needs workload"));
  EXPECT_THAT(ErrorOf(std::string(kLedger) + "thresholds.\"deposit.corrected.p99\" = \"< 50ms\"\n"),
              HasSubstr("threshold on unknown metric 'deposit.corrected.p99'"))
      << "a closed loop has no corrected latency";
}

// A run of one passing case whose one deposit operation made `calls` calls
// with a service-time p99 of 4 ms (a closed loop until the test says otherwise).
RunResult OneDepositCase(std::uint64_t calls) {
  RunResult run;
  CaseResult c;
  c.name = "deposits";
  c.verdict = Verdict::kPass;
  OperationResult op;
  op.name = "deposit";
  op.calls = calls;
  op.outcomes["ok"] = calls;
  op.latency.p99_ms = 4;
  c.operations.push_back(op);
  run.cases.push_back(c);
  return run;
}

TEST(ArrivalSweep, AnOpenModelCaseIsJudgedByItsCorrectedP99) {
  RunResult run = OneDepositCase(100);
  EXPECT_DOUBLE_EQ(SweepFiguresOf(run)[0].user_p99_ms.at("deposit"), 4);
  EXPECT_FALSE(SweepFiguresOf(run)[0].p99_corrected);
  run.cases[0].operations[0].open_model = true;
  run.cases[0].operations[0].latency_corrected.p99_ms = 250;
  EXPECT_DOUBLE_EQ(SweepFiguresOf(run)[0].user_p99_ms.at("deposit"), 250);
  EXPECT_TRUE(SweepFiguresOf(run)[0].p99_corrected);
}

// What `compare` reads back from a JSON report of an open-model case: the
// corrected percentiles and the arrivals, under their documented names.
TEST(ArrivalReport, CorrectedAndArrivalMetricsSurviveTheJsonReportAndAreCompared) {
  RunResult run = OneDepositCase(90);
  CaseResult& c = run.cases[0];
  c.operations[0].open_model = true;
  c.operations[0].latency_corrected.p99_ms = 120;
  c.arrivals.rate_per_s = 100;
  c.arrivals.process = "poisson";
  c.arrivals.started = 90;
  c.arrivals.dropped = 10;
  c.arrivals.lag.p99_ms = 110;
  const std::string path = ::testing::TempDir() + "/open_report.json";
  std::ofstream(path) << ReportToJson(run).dump();
  RunResult back;
  std::string error;
  ASSERT_TRUE(ReadReportFile(path, &back, &error)) << error;
  std::remove(path.c_str());
  std::map<std::string, double> m;
  for (const auto& [name, v] : AllMetrics(back.cases.at(0))) m[name] = v;
  EXPECT_DOUBLE_EQ(m.at("deposit.latency.p99"), 4);
  EXPECT_DOUBLE_EQ(m.at("deposit.corrected.p99"), 120);
  EXPECT_DOUBLE_EQ(m.at("arrivals.dropped"), 10);
  EXPECT_DOUBLE_EQ(m.at("arrivals.dropped_ratio"), 0.1);
  EXPECT_DOUBLE_EQ(m.at("arrivals.lag.p99"), 110);
  run.cases[0].operations[0].open_model = false;
  run.cases[0].arrivals = ArrivalReport{};
  for (const auto& [name, v] : AllMetrics(run.cases[0])) {
    EXPECT_EQ(name.find("corrected"), std::string::npos) << "a closed loop has no " << name;
    EXPECT_NE(name.rfind("arrivals.", 0), 0u) << "a closed loop has no " << name;
  }
  double v;
  std::string why;
  EXPECT_FALSE(MetricValue(run.cases[0], "deposit.corrected.p99", &v, &why));
  EXPECT_NE(why.find("no arrival_rate"), std::string::npos) << why;
}

}  // namespace
}  // namespace ledgerstress
