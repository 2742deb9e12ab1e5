#ifndef LEDGERSTRESS_HARNESS_ENGINE_WORKLOAD_PLANS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_WORKLOAD_PLANS_H_

#include <string>

#include "harness/engine/fixtures.h"
#include "harness/engine/workload.h"
#include "harness/invariants/client_history.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// What a case's fixture made: the users (every case), and the projects,
// escrows and donors of the close fixture (close and ledger).
struct CaseFixture {
  Fixture users;
  CloseFixture close;
};

// One row per workload, the engine's side (the scenario's side, its name
// and the keys it reads, is harness/scenario/workload_table.h's row).
// From the thread that runs the case.
struct WorkloadPlan {
  Workload id;
  // The race's users: how many the common fixture makes for it (0: none).
  std::int64_t (*race_users)(const CaseSpec&);
  // Fills the built-in schema beyond the common fixture (nullptr: nothing
  // more); not called for a case on the scenario's own schema. Throws on a
  // database error (the case is an error).
  void (*fixture)(pqxx::connection_base& conn, const CaseSpec& spec, const std::string& schema, CaseFixture* fx);
  // The plan over the worker pool: fills *r (see workload.h) and appends
  // to *history what the client saw. Never throws.
  void (*run)(const CaseSpec& spec, const CaseFixture& fx, const WorkloadEnv& env, CaseResult* r,
              ClientHistory* history);
  // Whether `run` checks the invariants itself (the explorer, after each
  // schedule); otherwise the case checks them once after `run`.
  bool checks_itself = false;
};

// The plan of `w` (every Workload has one).
const WorkloadPlan& PlanOf(Workload w);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_WORKLOAD_PLANS_H_
