// Real Django through the driver protocol: the review's code
// (scenarios/django_review.toml) as a user runs it, the shop example
// (examples/shop: an app on its own schema), and the protocol doc's example
// driver as a reader would copy it.
#include <iostream>
#include <map>
#include <set>

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
    // The wallet race's 100 workers as 10 processes of 10 threads; the rest one process per worker.
    const bool threaded = c["name"].get<std::string>().rfind("wallet_race/", 0) == 0;
    EXPECT_EQ(c["driver"], threaded ? "django_threads" : "django") << c["name"];
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

// examples/shop: a Django app on its own schema (its migrations run by
// [schema] command), its services behind the copyable driver glue. Each
// racy service is caught on the rule it breaks, each hardened one passes.
TEST(Django, TheShopExamplesRacyServicesAreCaughtOnTheirRuleAndTheHardenedOnesPass) {
  Scratch s;
  const Result r = RunLs(s, {"run", LEDGERSTRESS_SOURCE_DIR "/examples/shop/shop.toml", "--report-dir",
                             (s / "r").string(), "--format", "json"},
                         "", SIGINT, 300);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = OnlyReport(s / "r");
  ASSERT_FALSE(j.is_null()) << r.out << r.err;
  // case -> the invariant its racy service breaks ("" for a hardened case).
  const std::map<std::string, std::string> expected = {
      {"buy/racy", "stock_matches_orders"},       {"buy/hardened", ""}, {"buy/hardened/resent", ""},
      {"coupon/racy", "coupon_within_limit"},     {"coupon/hardened", ""},
      {"seat/racy", "one_booking_per_seat"},      {"seat/hardened", ""},
      {"credit/racy", "credit_balance_matches_topups"}, {"credit/hardened", ""},
  };
  std::string summary;
  std::set<std::string> seen;
  for (const auto& c : j["cases"]) {
    const std::string name = c["name"];
    seen.insert(name);
    ASSERT_TRUE(expected.count(name)) << name;
    const std::string breaks = expected.at(name);
    std::string violated;
    for (const auto& i : c["invariants"]) {
      if (i["status"] != "held") violated += (violated.empty() ? "" : ",") + i["name"].get<std::string>();
    }
    summary += " " + name + "=" + c["verdict"].get<std::string>() + (violated.empty() ? "" : "[" + violated + "]");
    EXPECT_EQ(c["driver"], "shop") << name;
    const auto& outcomes = c["operations"][0]["outcomes"];
    EXPECT_GT(outcomes.value("ok", 0u), 0u) << name;
    if (breaks.empty()) {
      EXPECT_EQ(c["verdict"], "pass") << name << ": " << c["verdict_reason"] << "\n" << ErrorSamples(j);
      EXPECT_TRUE(violated.empty()) << name << ": " << violated;
      std::uint64_t other = 0;
      for (const auto& [outcome, n] : outcomes.items()) {
        if (outcome != "ok" && outcome != "expected" && outcome != "no_effect") other += n.get<std::uint64_t>();
      }
      EXPECT_EQ(other, 0u) << name << ": a hardened service ends each call done, refused or recognised as sent before: "
                           << outcomes.dump();
    } else {
      EXPECT_EQ(c["verdict"], "caught") << name << ": " << c["verdict_reason"];
      EXPECT_EQ(c["violates"], nlohmann::json::array({breaks})) << name;
      EXPECT_NE(("," + violated + ",").find("," + breaks + ","), std::string::npos)
          << name << " should break " << breaks << ", broke: " << violated;
      EXPECT_EQ(("," + violated + ",").find(",acknowledged_writes_durable,"), std::string::npos)
          << name << ": the racy code is wrong about the shop, not about what it acknowledged";
    }
  }
  EXPECT_EQ(seen.size(), expected.size());
  // Refusals (sold out, coupon used up, seat taken) are business outcomes.
  for (const auto& c : j["cases"]) {
    const std::string name = c["name"];
    if (name == "buy/hardened" || name == "coupon/hardened" || name == "seat/hardened") {
      EXPECT_GT(c["operations"][0]["outcomes"].value("expected", 0u), 0u) << name << " refused nothing";
    }
    // A request sent twice under one key is placed once: the other copy is ok with "effect": false.
    if (name == "buy/hardened/resent") {
      EXPECT_GT(c["operations"][0]["outcomes"].value("no_effect", 0u), 0u) << c["operations"].dump();
    }
  }
  std::cout << "shop verdicts:" << summary << "\n";
  EXPECT_EQ(DriversOfRun(j["run"]["id"]), 0) << "a shop driver outlived the run";
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
