#include "harness/engine/workload_plans.h"

#include <vector>

#include "harness/engine/explore_workload.h"

namespace ledgerstress {
namespace {

std::int64_t NoRaceUsers(const CaseSpec&) { return 0; }

// The race and the ledger: the mix over one pool, on their own targets.
void RunMix(const CaseSpec& spec, const CaseFixture& fx, const WorkloadEnv& env, CaseResult* r,
            ClientHistory* history) {
  Targets targets;
  targets.race_first_user = fx.users.first_user_id;
  targets.users_per_round = spec.race.users_per_round;
  targets.donor_first_user = fx.close.donor_first_user;
  targets.donors = fx.close.donors;
  targets.background_project = fx.close.background_project;
  RunMixWorkload(spec, targets, env, r, history);
}

const std::vector<WorkloadPlan>& Plans() {
  static const std::vector<WorkloadPlan> rows = {
      {Workload::kRace,
       [](const CaseSpec& s) { return static_cast<std::int64_t>(s.rounds) * s.race.users_per_round; },
       nullptr, RunMix},
      {Workload::kClose, NoRaceUsers,
       [](pqxx::connection_base& conn, const CaseSpec& s, const std::string& schema, CaseFixture* fx) {
         fx->close = CreateCloseFixture(
             conn, schema, CloseFixtureSpec{s.close.projects * s.rounds, s.close.escrows, s.donors, s.seed});
       },
       [](const CaseSpec& s, const CaseFixture& fx, const WorkloadEnv& env, CaseResult* r, ClientHistory*) {
         RunCloseWorkload(s, fx.close, env, r);
       }},
      {Workload::kLedger, NoRaceUsers,
       [](pqxx::connection_base& conn, const CaseSpec& s, const std::string& schema, CaseFixture* fx) {
         fx->close = CreateCloseFixture(conn, schema, CloseFixtureSpec{0, 0, s.donors, s.seed});
       },
       RunMix},
      {Workload::kExplore, [](const CaseSpec&) { return kExploreUsers; }, nullptr,
       [](const CaseSpec& s, const CaseFixture&, const WorkloadEnv& env, CaseResult* r, ClientHistory*) {
         RunExploreWorkload(s, env, r);
       },
       /*checks_itself=*/true},
  };
  return rows;
}

}  // namespace

const WorkloadPlan& PlanOf(Workload w) {
  for (const WorkloadPlan& p : Plans()) {
    if (p.id == w) return p;
  }
  return Plans().front();  // unreachable: every Workload has a plan (workload_table_test)
}

}  // namespace ledgerstress
