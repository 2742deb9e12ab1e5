// The workload tables: the scenario's rows (names, key bits) and the
// engine's plans agree, and a scenario file reaches each by its name.
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/engine/fault_table.h"
#include "harness/engine/workload_plans.h"
#include "harness/scenario/case_keys.h"
#include "harness/scenario/scenario_loader.h"
#include "harness/scenario/workload_table.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;

TEST(WorkloadTable, EveryRowHasAPlanANameAndABitOfItsOwn) {
  std::set<std::string> names;
  unsigned bits = 0;
  for (const WorkloadRow& row : WorkloadRows()) {
    EXPECT_EQ(PlanOf(row.id).id, row.id) << row.name << " has no plan in workload_plans.cpp";
    EXPECT_NE(PlanOf(row.id).run, nullptr) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
    EXPECT_EQ(bits & BitOf(row.id), 0u) << row.name << " shares a bit";
    bits |= BitOf(row.id);
    EXPECT_EQ(&RowOf(row.id), &row);
    EXPECT_STREQ(WorkloadName(row.id), row.name);
  }
  EXPECT_EQ(bits, (1u << WorkloadRows().size()) - 1) << "every Workload value, 0 to n-1, has a row";
  EXPECT_EQ(MixWorkloads(), kRaceBit | kCloseBit | kLedgerBit);
  EXPECT_EQ(ScheduledMixWorkloads(), kRaceBit | kLedgerBit);
  EXPECT_EQ(WorkloadsText(kCloseBit | kLedgerBit), "\"close\" or \"ledger\"");
}

// A workload's own keys come from its row and are read by it alone.
TEST(WorkloadTable, AWorkloadsOwnKeysAreInTheCaseKeyTableForItAlone) {
  for (const WorkloadRow& row : WorkloadRows()) {
    if (!row.keys) continue;
    for (const CaseKeyDef& own : row.keys()) {
      const CaseKeyDef* key = FindCaseKey(own.name);
      ASSERT_NE(key, nullptr) << own.name;
      EXPECT_EQ(key->workloads, BitOf(row.id)) << own.name;
    }
  }
  ASSERT_NE(FindCaseKey("release_batch_size"), nullptr);
  EXPECT_EQ(FindCaseKey("release_batch_size")->workloads, kCloseBit);
  ASSERT_NE(FindCaseKey("sessions"), nullptr);
  EXPECT_EQ(FindCaseKey("sessions")->workloads, kExploreBit);
}

TEST(WorkloadTable, AScenarioReachesEachWorkloadByItsNameAndNoOther) {
  for (const WorkloadRow& row : WorkloadRows()) {
    // The explorer runs sessions of SQL operations instead of workers.
    const bool explore = row.id == Workload::kExplore;
    const std::string text = std::string(explore ? "[[operation]]\nname = \"op\"\nstatements = [\"SELECT 1\"]\n" : "") +
                             "[[case]]\nname = \"c\"\nworkload = \"" + row.name + "\"\n" +
                             (explore ? "sessions = [[\"op\"], [\"op\"]]\n" : "workers = 2\n") +
                             (row.runs_for_a_schedule ? "duration = \"1s\"\n" : "");
    EXPECT_EQ(ParseScenario(text, "s.toml").cases[0].workload, row.id) << row.name;
  }
  try {
    ParseScenario("[[case]]\nname = \"c\"\nworkload = \"ledgr\"\nduration = \"1s\"\n", "s.toml");
    FAIL() << "an unknown workload was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(), HasSubstr("s.toml:3:12"));
    EXPECT_THAT(e.what(), HasSubstr("ledger"));
  }
}

TEST(FaultTable, EveryRowIsCompleteAndTurnedOnByItsKeyAlone) {
  std::set<std::string> keys;
  for (const FaultRow& row : FaultTable()) {
    EXPECT_TRUE(keys.insert(row.key).second) << row.key;
    EXPECT_NE(row.make, nullptr) << row.key;
    EXPECT_NE(row.cannot_run, nullptr) << row.key;
    EXPECT_FALSE(row.asked(CaseSpec{})) << row.key << " is on in a case that asks for no fault";
    bool is_a_key = false;
    for (const CaseKeyDef& k : CaseKeys()) is_a_key = is_a_key || k.name == row.key;
    EXPECT_TRUE(is_a_key) << row.key << " is no case key";
  }
}

}  // namespace
}  // namespace ledgerstress
