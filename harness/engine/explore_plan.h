#ifndef LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_PLAN_H_
#define LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_PLAN_H_

#include <memory>
#include <string>
#include <vector>

#include "harness/operations/sql_operation.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The explorer's sessions as steps: each call of a session is its
// operation's BEGIN, each of its statements, and COMMIT, one step each.
// The params are drawn once per case (from the case seed, or fixed by the
// session), so every schedule runs the same calls. Plain data, built on
// the case's thread before its schedules run.

struct ExploreCallPlan {
  std::shared_ptr<const SqlOperation> op;
  std::vector<std::string> params;  // by param index
  std::string key;                  // the call's idempotency key ({ unique = true })
};

enum class ExploreStepKind { kBegin, kStatement, kCommit };

struct ExploreStepPlan {
  int call = 0;       // index in the session's calls
  ExploreStepKind kind = ExploreStepKind::kBegin;
  int statement = 0;  // kStatement: index in the operation's statements
};

struct ExploreSessionPlan {
  std::vector<ExploreCallPlan> calls;
  std::vector<ExploreStepPlan> steps;
};

// REQUIRES: spec.workload is explore and every call names an SQL
// operation with statements in a transaction (the loader checks).
std::vector<ExploreSessionPlan> PlanExplore(const CaseSpec& spec);

// The steps of each session, for the schedule functions.
std::vector<int> StepCounts(const std::vector<ExploreSessionPlan>& sessions);

// What every schedule starts from on the built-in schema, after its
// tables are emptied (sequences restarted): users 1..10, no wallets.
std::string BuiltinExploreFixtureSql();

// The key prefix of session s's calls: its call n has key prefix + n.
std::string ExploreKeyPrefix(std::size_t session);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_PLAN_H_
