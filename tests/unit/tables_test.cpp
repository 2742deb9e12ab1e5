// The operation, invariant and case-key tables: every row complete, the
// built-in rows bound to settlement's own names, and a row from elsewhere
// usable by the engine as a built-in one is.
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/engine/worker.h"
#include "harness/invariants/invariant_table.h"
#include "harness/operations/operation.h"
#include "harness/scenario/case_keys.h"
#include "harness/scenario/key_use.h"
#include "harness/scenario/resolved.h"
#include "harness/scenario/scenario_loader.h"
#include "settlement/close_project.h"
#include "settlement/saka_wallet.h"

namespace ledgerstress {
namespace {

using ::testing::Contains;
using ::testing::ElementsAreArray;
using ::testing::Key;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

std::string ReadDoc(const std::string& name) {
  std::ifstream in(std::string(LEDGERSTRESS_SOURCE_DIR) + "/docs/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OperationTable, EveryBuiltinRowIsCompleteAndPlaysAPart) {
  for (const OperationDef& op : BuiltinOperations().rows()) {
    EXPECT_FALSE(op.summary.empty()) << op.name;
    EXPECT_FALSE(op.strategies.empty()) << op.name;
    EXPECT_FALSE(op.args.empty()) << op.name;
    EXPECT_NE(op.roles, 0u) << op.name;
    if (op.Plays(kCloser)) continue;  // the close workload calls it itself
    EXPECT_NE(op.draw, nullptr) << op.name;
    ASSERT_TRUE(op.bind) << op.name;
    for (const std::string& s : op.strategies) EXPECT_TRUE(op.bind(s)) << op.name << "/" << s;
    EXPECT_THROW(op.bind("no_such_strategy"), std::invalid_argument) << op.name;
  }
}

TEST(OperationTable, StrategiesAreSettlementsOwnNamesWithTheHardenedOneFirst) {
  const OperationDef* saka = BuiltinOperations().Find("saka_get_or_create_wallet");
  ASSERT_NE(saka, nullptr);
  EXPECT_THAT(saka->strategies, UnorderedElementsAreArray(settlement::SakaStrategyNames()));
  EXPECT_EQ(saka->strategies.front(), "insert_on_conflict");
  const OperationDef* close = BuiltinOperations().Find("close_project_success");
  ASSERT_NE(close, nullptr);
  EXPECT_THAT(close->strategies, UnorderedElementsAreArray(settlement::CloseStrategyNames()));
  EXPECT_EQ(close->strategies.front(), "keyset");
}

TEST(OperationTable, TheWritesAKeyCanFindAreTrackedAndTheWalletRaceIsNot) {
  const OperationTable& t = BuiltinOperations();
  for (const char* tracked : {"pledge_funds", "deposit", "transfer_to_pocket", "allocate_deposit_across_pockets"}) {
    EXPECT_TRUE(t.Find(tracked)->Tracked()) << tracked;
    EXPECT_NE(t.Find(tracked)->durable_sql.find("$1"), std::string::npos) << tracked;
  }
  EXPECT_FALSE(t.Find("saka_get_or_create_wallet")->Tracked());
  EXPECT_THROW(OperationTable(t).Add(*t.Find("deposit")), std::invalid_argument) << "a name is defined once";
}

TEST(OperationTable, ARowFromElsewhereIsBoundAndTrackedAsABuiltinOneIs) {
  OperationTable t;
  OperationDef d;
  d.name = "team_transfer";
  d.summary = "a team's own transfer";
  d.source = "driver";
  d.strategies = {"review", "hardened"};
  d.roles = kBackground;
  d.args = {"user_id", "amount", "key"};
  d.draw = [](CallContext&, CallArgs* a) { a->amount = 100; };
  std::string bound;
  d.bind = [&bound](const std::string& s) -> OperationFn {
    bound = s;
    return [](CallContext&, const CallArgs&) {};
  };
  d.durable_sql = "SELECT count(*) FROM team_ledger WHERE key = $1";
  t.Add(d);
  CaseSpec spec;
  spec.mix = {{"team_transfer", 2}};
  spec.strategies = {{"team_transfer", "hardened"}};
  ClientHistory history;
  const std::vector<BoundOp> ops = BindMix(spec, t, &history);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(bound, "hardened");
  EXPECT_EQ(ops[0].def, t.Find("team_transfer"));
  EXPECT_EQ(ops[0].cumulative_weight, 2);
  ASSERT_EQ(history.operations().size(), 1u);
  EXPECT_EQ(history.operations()[0].durable_sql, d.durable_sql);
  EXPECT_EQ(ops[0].history_op, 0);
}

TEST(InvariantTable, EveryRowHasACheckAndEveryNameIsDocumented) {
  const std::string doc = ReadDoc("scenario-format.md") + ReadDoc("report-format.md");
  for (const InvariantDef& inv : BuiltinInvariants()) {
    EXPECT_NE(inv.check, nullptr) << inv.name;
    EXPECT_FALSE(inv.applies_to.empty()) << inv.name;
    EXPECT_NE(doc.find(inv.name), std::string::npos) << inv.name << " is not in docs/";
  }
  EXPECT_EQ(FindInvariant("no_such_invariant"), nullptr);
}

TEST(CaseKeyTable, EveryKeyIsDocumentedInTheScenarioFormat) {
  const std::string doc = ReadDoc("scenario-format.md");
  for (const CaseKeyDef& key : CaseKeys()) {
    EXPECT_NE(doc.find("| `" + key.name), std::string::npos) << key.name << " has no row in docs/scenario-format.md";
  }
}

TEST(CaseKeyTable, ResolvedSettingsListOnlyTheKeysTheWorkloadReads) {
  const Scenario s = ParseScenario(R"(
[[case]]
name = "race"
workers = 2
calls_per_worker = 1
[[case]]
name = "close"
workload = "close"
)", "t.toml");
  const auto race = ResolvedSettings(s.cases[0]);
  const auto close = ResolvedSettings(s.cases[1]);
  EXPECT_THAT(race, Contains(Key("calls_per_worker")));
  EXPECT_THAT(race, Not(Contains(Key("escrows"))));
  EXPECT_THAT(race, Not(Contains(Key("monitor_interval"))));
  EXPECT_THAT(close, Contains(Key("escrows")));
  EXPECT_THAT(close, Contains(Key("strategy.close_project_success")));
  EXPECT_THAT(close, Not(Contains(Key("calls_per_worker"))));
  EXPECT_EQ(race.front().first, "workload");
  EXPECT_EQ(race.back().first, "seed");
}

TEST(CaseKeyTable, OnlyTheClosesThatBatchReadTheBatchSize) {
  const Scenario s = ParseScenario(R"(
[defaults]
workload = "close"
[[case]]
name = "keyset"
strategy.close_project_success = "keyset"
[[case]]
name = "set_based"
strategy.close_project_success = "set_based"
)", "t.toml");
  EXPECT_TRUE(CaseReadsKey(s.cases[0], "release_batch_size"));
  EXPECT_FALSE(CaseReadsKey(s.cases[1], "release_batch_size"));
  EXPECT_FALSE(CaseReadsKey(s.cases[0], "max_escrows_per_close"));
  EXPECT_TRUE(CaseReadsKey(s.cases[1], "workers"));
  EXPECT_TRUE(CaseReadsKey(s.cases[1], "strategy.close_project_success"));
  EXPECT_FALSE(CaseReadsKey(s.cases[1], "strategy.saka_get_or_create_wallet"));
}

}  // namespace
}  // namespace ledgerstress
