// The review's code in real Django, run through the driver protocol:
// scenarios/django_review.toml as a user runs it, and the protocol doc's
// example driver as a reader would copy it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

// What went wrong in each case, for a verdict that is not the expected one.
std::string ErrorSamples(const nlohmann::json& report) {
  std::string out;
  for (const auto& c : report["cases"]) {
    for (const auto& op : c["operations"]) {
      if (op["error_samples"].empty()) continue;
      out += c["name"].get<std::string>() + " " + op["name"].get<std::string>() + ": " + op["error_samples"].dump() + "\n";
    }
  }
  return out;
}

TEST(Django, TheReviewsCodeIsCaughtWhereTheReviewIsWrongAndTheHardenedCodePasses) {
  Scratch s;
  const Result r = RunLs(s, {"run", LEDGERSTRESS_SOURCE_DIR "/scenarios/django_review.toml", "--report-dir",
                             (s / "r").string(), "--format", "json"},
                         "", SIGINT, 600);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  std::map<std::string, std::string> verdicts;
  for (const auto& c : j["cases"]) {
    verdicts[c["name"]] = c["verdict"];
    EXPECT_EQ(c["driver"], "django");
  }
  EXPECT_EQ(verdicts["wallet_race/review/no_unique"], "caught");
  EXPECT_EQ(verdicts["wallet_race/hardened"], "pass") << ErrorSamples(j);
  EXPECT_EQ(verdicts["close_1000/review"], "caught");   // 1,000 rows locked at once
  EXPECT_EQ(verdicts["close_1000/hardened"], "pass");
  EXPECT_EQ(verdicts["close_5000/review"], "caught");   // 4,000 escrows stranded
  EXPECT_EQ(verdicts["close_5000/hardened"], "pass") << ErrorSamples(j);
  EXPECT_EQ(verdicts["deadlock/review"], "caught");
  EXPECT_EQ(verdicts["deadlock/hardened"], "pass") << ErrorSamples(j);
  // What real Django does in the review's retry loop: the retry's first query
  // meets the aborted transaction (25P02), which `except OperationalError` lets through.
  EXPECT_NE(r.out.find("sleep(s) with a transaction open"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no_stranded_escrow: 4000 escrow(s) still LOCKED on SUCCESS projects"), std::string::npos) << r.out;
  for (const auto& c : j["cases"]) {
    if (c["name"] != "deadlock/review") continue;
    EXPECT_GT(c["faults"]["deadlocks_injected"].get<int>(), 0);
    std::string samples;
    for (const auto& op : c["operations"]) samples += op["error_samples"].dump();
    EXPECT_NE(samples.find("25P02"), std::string::npos) << samples;
  }
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0) << "a Django process outlived the run";
}

TEST(Django, TheProtocolDocsExampleDriverRunsAsWritten) {
  const std::string doc = Slurp(LEDGERSTRESS_SOURCE_DIR "/docs/driver-protocol.md");
  const std::string example = Slurp(LEDGERSTRESS_SOURCE_DIR "/docs/examples/mine.py");
  ASSERT_FALSE(example.empty());
  EXPECT_NE(doc.find(example), std::string::npos) << "docs/examples/mine.py and the doc's listing differ";
  Scratch s;
  const Result r = RunLs(s, {"run", LEDGERSTRESS_SOURCE_DIR "/docs/examples/mine.toml", "--set", "duration=2s",
                             "--report-dir", (s / "r").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace ledgerstress::e2e
