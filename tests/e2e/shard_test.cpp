// One run over several processes (`run --shard i/N --run-id ID`), each a
// real ledgerstress process against one server: the wallet race split over
// 4 shards is caught as in one process (and the hardened one passes), a
// 4-shard ledger run counts what one process counts and `merge` redoes
// shard 0's figures from the shards' reports, a shard killed mid-run or
// one that never comes is an error naming it, and nothing is left behind.
#include <algorithm>
#include <csignal>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "harness/pg/embedded_cluster.h"
#include "tests/e2e/run_ls.h"

namespace ledgerstress::e2e {
namespace {

const std::string kWalletRace = std::string(LEDGERSTRESS_SOURCE_DIR) + "/scenarios/wallet_race.toml";

const char kLedger[] = R"(
name = "shard_ledger"
seed = 7

[[case]]
name = "ledger"
workload = "ledger"
workers = 8
calls_per_worker = 150
donors = 200
mix = { pledge_funds = 3, deposit = 2, transfer_to_pocket = 2, allocate_deposit_across_pockets = 1 }
retry = "per_transaction"
max_attempts = 5
invariants = ["acknowledged_writes_durable", "money_conserved", "balances_match_ledger", "no_negative_balance",
              "idempotent"]
)";

class Shards : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* shared = std::getenv("LEDGERSTRESS_TEST_DB_DIR");
    if (shared && *shared) cluster_ = EmbeddedCluster::Attach(shared);
    if (!cluster_) {
      EmbeddedCluster::Options o;
      o.max_connections = 200;
      cluster_ = EmbeddedCluster::Start(o);
    }
    dsn_ = cluster_->Dsn();
  }

  // `n` shards of `scenario` under run id `run`, each with `extra` options;
  // shard i's reports in reports-<i>.
  std::vector<Result> RunShards(Processes* p, const std::string& scenario, const std::string& run, int n,
                                const std::vector<std::string>& extra = {}) {
    for (int i = 0; i < n; ++i) Spawn(p, scenario, run, i, n, extra);
    return p->Wait();
  }

  int Spawn(Processes* p, const std::string& scenario, const std::string& run, int i, int n,
            const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"run",      scenario, "--dsn", dsn_, "--shard", std::to_string(i) + "/" + std::to_string(n),
                                     "--run-id", run,      "--report-dir", (s_ / ("reports-" + std::to_string(i))).string(),
                                     "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return p->Spawn("shard" + std::to_string(i), args);
  }

  // Schemas the run `run` left on the server.
  int Leftovers(const std::string& run) {
    pqxx::connection c(dsn_);
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ls\\_" + run + "\\_%'")[0].as<int>();
  }

  static const nlohmann::json* Case(const nlohmann::json& report, const std::string& name) {
    for (const auto& c : report["cases"]) {
      if (c["name"] == name) return &c;
    }
    return nullptr;
  }

  Scratch s_;
  std::unique_ptr<EmbeddedCluster> cluster_;
  std::string dsn_;
};

TEST_F(Shards, TheWalletRaceOverFourShardsIsCaughtAsInOneProcessAndTheUniqueOnePasses) {
  Processes p(s_);
  const auto results = RunShards(&p, kWalletRace, "e2e_race4", 4, {"--case", "get_or_create/*"});
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].exit_code, 0) << "shard " << i << ":\n" << results[i].err << results[i].out;
  }
  EXPECT_NE(results[1].err.find("workers 25..49 of 100 (shard 1/4)"), std::string::npos) << results[1].err;
  const auto j = OnlyReport(s_ / "reports-0");
  const auto* racy = Case(j, "get_or_create/no_unique");
  ASSERT_NE(racy, nullptr) << j.dump();
  EXPECT_EQ((*racy)["verdict"], "caught");
  EXPECT_EQ((*racy)["operations"][0]["calls"], 2000);  // 100 workers x 20 rounds, from 4 processes
  ASSERT_EQ((*racy)["shards"].size(), 4u);
  for (const auto& share : (*racy)["shards"]) EXPECT_EQ(share["calls"], 500) << share.dump();
  EXPECT_EQ((*Case(j, "get_or_create/unique"))["verdict"], "pass");
  // Every shard says what shard 0 judged.
  EXPECT_EQ((*Case(OnlyReport(s_ / "reports-3"), "get_or_create/no_unique"))["verdict"], "caught");
  EXPECT_EQ(Leftovers("e2e_race4"), 0);

  Scratch one;
  const Result r = RunLs(one, {"run", kWalletRace, "--dsn", dsn_, "--case", "get_or_create/no_unique",
                               "--report-dir", (one / "reports").string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ((*Case(OnlyReport(one / "reports"), "get_or_create/no_unique"))["verdict"], "caught");
}

TEST_F(Shards, FourShardsCountWhatOneProcessCountsAndMergeRedoesShardZerosFigures) {
  const fs::path scenario = s_.Write("ledger.toml", kLedger);
  Processes p(s_);
  const auto results = RunShards(&p, scenario.string(), "e2e_ledger4", 4);
  for (const Result& r : results) ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  Scratch one;
  const Result r = RunLs(one, {"run", scenario.string(), "--dsn", dsn_, "--report-dir", (one / "reports").string(),
                               "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto sharded = OnlyReport(s_ / "reports-0")["cases"][0];
  const auto single = OnlyReport(one / "reports")["cases"][0];
  EXPECT_EQ(sharded["verdict"], "pass");
  ASSERT_EQ(sharded["operations"].size(), single["operations"].size());
  std::uint64_t calls = 0;
  for (std::size_t k = 0; k < single["operations"].size(); ++k) {
    const auto& a = sharded["operations"][k];
    const auto& b = single["operations"][k];
    EXPECT_EQ(a["name"], b["name"]);
    EXPECT_EQ(a["calls"], b["calls"]) << a["name"];  // the same seeds draw the same calls
    EXPECT_EQ(a["latency"]["count"], b["latency"]["count"]) << a["name"];
    calls += a["calls"].get<std::uint64_t>();
  }
  EXPECT_EQ(calls, 8u * 150u);
  EXPECT_TRUE(sharded["release_skew"].is_object()) << sharded.dump();

  std::vector<std::string> args = {"merge"};
  for (int i = 0; i < 4; ++i) args.push_back(Reports(s_ / ("reports-" + std::to_string(i))).at(0).string());
  args.insert(args.end(), {"--output", (s_ / "merged.json").string()});
  const Result m = RunLs(s_, args);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const auto merged = nlohmann::json::parse(Slurp(s_ / "merged.json"))["cases"][0];
  for (std::size_t k = 0; k < sharded["operations"].size(); ++k) {
    const auto& a = sharded["operations"][k];
    const auto& b = merged["operations"][k];
    EXPECT_EQ(a["calls"], b["calls"]);
    EXPECT_EQ(a["outcomes"], b["outcomes"]);
    EXPECT_EQ(a["latency"]["histogram"], b["latency"]["histogram"]);
    for (const char* q : {"min_ms", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"}) EXPECT_EQ(a["latency"][q], b["latency"][q]) << q;
  }
  EXPECT_EQ(merged["verdict"], "pass");

  args.erase(args.begin() + 1);  // shard 0's report left out
  const Result missing = RunLs(s_, args);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("shard 0 of 4 of run e2e_ledger4: no report given"), std::string::npos) << missing.err;
  EXPECT_EQ(Leftovers("e2e_ledger4"), 0);
}

TEST_F(Shards, AShardKilledMidRunIsAnErrorNamingItItsCallsResolvedByKeyAndNothingLeft) {
  std::string text = kLedger;
  text.replace(text.find("calls_per_worker = 150"), 22, "duration = \"2s\"\nrounds = 3");
  const fs::path scenario = s_.Write("ledger.toml", text);
  Processes p(s_);
  Spawn(&p, scenario.string(), "e2e_kill", 0, 3, {});
  const int victim = Spawn(&p, scenario.string(), "e2e_kill", 1, 3, {});
  Spawn(&p, scenario.string(), "e2e_kill", 2, 3, {});
  for (int waited = 0; waited < 600 && p.Stderr(victim).find("[1/1]") == std::string::npos; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // into the first round
  p.Kill(victim);
  const auto results = p.Wait(120);
  EXPECT_EQ(results[0].exit_code, 3) << results[0].err;
  EXPECT_NE(results[0].err.find("shard 1 (host"), std::string::npos) << results[0].err;
  EXPECT_NE(results[0].err.find("its process is gone"), std::string::npos) << results[0].err;
  EXPECT_EQ(results[2].exit_code, 3) << results[2].err;
  const auto j = OnlyReport(s_ / "reports-0");  // a partial report is still written
  const nlohmann::json& c = j["cases"][0];
  EXPECT_EQ(c["verdict"], "error");
  EXPECT_NE(c["error"].get<std::string>().find("resolved by key"), std::string::npos) << c["error"];
  // Shard 1's calls, in doubt, were resolved by key, and the checks ran over every shard's calls.
  const nlohmann::json* lost = nullptr;
  for (const auto& share : c["shards"]) {
    if (share["index"] == 1) lost = &share;
  }
  ASSERT_NE(lost, nullptr) << c["shards"];
  EXPECT_EQ((*lost)["lost"], true);
  const std::uint64_t committed = (*lost)["in_doubt"]["committed"].get<std::uint64_t>();
  EXPECT_GT(committed, 0u) << *lost;  // a second of calls by its workers
  bool durable = false;
  for (const auto& inv : c["invariants"]) {
    EXPECT_EQ(inv["status"], "held") << inv;
    if (inv["name"] != "acknowledged_writes_durable") continue;
    durable = true;
    EXPECT_GE(inv["details"]["in_doubt_committed"].get<std::uint64_t>(), committed) << inv;
  }
  EXPECT_TRUE(durable) << c["invariants"];
  EXPECT_EQ(Leftovers("e2e_kill"), 0);
}

TEST_F(Shards, WhenShardZeroIsKilledTheLowestShardLeftCleansUp) {
  std::string text = kLedger;
  text.replace(text.find("calls_per_worker = 150"), 22, "duration = \"2s\"\nrounds = 3");
  const fs::path scenario = s_.Write("ledger.toml", text);
  Processes p(s_);
  const int victim = Spawn(&p, scenario.string(), "e2e_kill0", 0, 3, {});
  Spawn(&p, scenario.string(), "e2e_kill0", 1, 3, {});
  Spawn(&p, scenario.string(), "e2e_kill0", 2, 3, {});
  for (int waited = 0; waited < 600 && p.Stderr(victim).find("[1/1]") == std::string::npos; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  p.Kill(victim);
  const auto results = p.Wait(120);
  for (int i : {1, 2}) {
    EXPECT_EQ(results[static_cast<std::size_t>(i)].exit_code, 3) << results[static_cast<std::size_t>(i)].err;
  }
  EXPECT_NE((results[1].err + results[2].err).find("shard 0 (host"), std::string::npos) << results[1].err;
  EXPECT_EQ(Leftovers("e2e_kill0"), 0);  // the case schema and the coordination schema, dropped by shard 1
}

TEST_F(Shards, AShardThatNeverComesIsAnErrorAfterTheTimeoutNamingIt) {
  const fs::path scenario = s_.Write("ledger.toml", kLedger);
  Processes p(s_);
  Spawn(&p, scenario.string(), "e2e_alone", 0, 2, {"--shard-timeout", "2"});  // shard 1 never starts
  const auto results = p.Wait();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].exit_code, 3) << results[0].err;
  EXPECT_NE(results[0].err.find("shard 1 (never joined) of 2"), std::string::npos) << results[0].err;
  EXPECT_NE(results[0].err.find("not there within 2 s (--shard-timeout)"), std::string::npos) << results[0].err;
  EXPECT_EQ(Leftovers("e2e_alone"), 0);
}

TEST_F(Shards, ProcessesJoiningAutoTakeTheFreeShardsShareAReportDirectoryAndOneTooManyIsRefused) {
  const fs::path scenario = s_.Write("ledger.toml", kLedger);
  const std::string dir = (s_ / "reports").string();
  Processes p(s_);
  for (int i = 0; i < 3; ++i) {
    p.Spawn("auto" + std::to_string(i), {"run", scenario.string(), "--dsn", dsn_, "--shard", "auto/2", "--run-id",
                                         "e2e_auto", "--report-dir", dir, "--format", "json"});
  }
  const auto results = p.Wait();
  std::vector<int> codes;
  std::string refused;
  for (const Result& r : results) {
    codes.push_back(r.exit_code);
    if (r.exit_code == 3) refused = r.err;
  }
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<int>{0, 0, 3})) << results[0].err << results[1].err << results[2].err;
  EXPECT_NE(refused.find("--shard auto/2: all 2 shards of run ls_e2e_auto_shards are taken"), std::string::npos)
      << refused;
  EXPECT_TRUE(fs::exists(s_ / "reports" / "shard_ledger-e2e_auto.json"));
  EXPECT_TRUE(fs::exists(s_ / "reports" / "shard_ledger-e2e_auto-shard1.json"));
  EXPECT_EQ(Leftovers("e2e_auto"), 0);
}

TEST_F(Shards, ShardsThatWouldRunOtherCasesAreRefusedAndALoneShardOneFindsNoRun) {
  const fs::path scenario = s_.Write("ledger.toml", kLedger);
  Processes p(s_);
  Spawn(&p, scenario.string(), "e2e_seeds", 0, 2, {"--seed", "1", "--shard-timeout", "3"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // shard 0 makes the run
  Spawn(&p, scenario.string(), "e2e_seeds", 1, 2, {"--seed", "2", "--shard-timeout", "3"});
  const auto results = p.Wait();
  EXPECT_EQ(results[0].exit_code, 3) << results[0].err;
  EXPECT_EQ(results[1].exit_code, 3) << results[1].err;
  EXPECT_NE(results[1].err.find("shard 1/2 would run other cases than shard 0/2"), std::string::npos) << results[1].err;
  EXPECT_EQ(Leftovers("e2e_seeds"), 0);

  Processes alone(s_);
  Spawn(&alone, scenario.string(), "e2e_nobody", 1, 2, {"--shard-timeout", "2"});
  const auto lone = alone.Wait();
  EXPECT_EQ(lone[0].exit_code, 3) << lone[0].err;
  EXPECT_NE(lone[0].err.find("run e2e_nobody: no shard 0 within 2 s"), std::string::npos) << lone[0].err;
  EXPECT_EQ(Leftovers("e2e_nobody"), 0);
}

TEST_F(Shards, AShardThatEndsTheRunTellsTheOthersWhyAtOnce) {
  // Shard 0's check of the scenario's SQL fails (exit 2); shard 1, waiting
  // for the first case's set-up, is told why instead of waiting out 60 s.
  const fs::path scenario = s_.Write(
      "ledger.toml", std::string(kLedger) + "\n[[sql_invariant]]\nname = \"typo\"\nquery = \"SELEC 1\"\nmessage = \"never\"\n");
  Processes p(s_);
  const auto t0 = std::chrono::steady_clock::now();
  const auto results = RunShards(&p, scenario.string(), "e2e_abort", 2);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(45));
  EXPECT_EQ(results[0].exit_code, 2) << results[0].err;
  EXPECT_EQ(results[1].exit_code, 3) << results[1].err;
  EXPECT_NE(results[1].err.find("shard 0 (host"), std::string::npos) << results[1].err;
  EXPECT_NE(results[1].err.find("ended the run"), std::string::npos) << results[1].err;
  EXPECT_NE(results[1].err.find("ledger.toml:"), std::string::npos) << results[1].err;
  EXPECT_EQ(Leftovers("e2e_abort"), 0);
}

TEST_F(Shards, WhatCannotBeShardedIsAUsageErrorBeforeAnythingRuns) {
  const fs::path scenario = s_.Write("ledger.toml", kLedger);
  const std::string close = std::string(LEDGERSTRESS_SOURCE_DIR) + "/scenarios/close_1000.toml";
  struct Bad {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {{"run", scenario.string(), "--dsn", dsn_, "--shard", "1/4"}, "--shard 1/4 needs --run-id"},
      {{"run", scenario.string(), "--dsn", dsn_, "--shard", "4/4", "--run-id", "x"}, "expected I/N with 0 <= I < N"},
      {{"run", scenario.string(), "--dsn", dsn_, "--run-id", "Bad-Id"}, "only lower-case letters, digits and '_'"},
      {{"run", close, "--dsn", dsn_, "--shard", "0/2", "--run-id", "e2e_close"}, "a 'close' case runs in one process"},
  };
  for (const Bad& b : bad) {
    const Result r = RunLs(s_, b.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(b.says), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace ledgerstress::e2e
