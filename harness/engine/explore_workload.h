#ifndef LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_WORKLOAD_H_
#define LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_WORKLOAD_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/engine/explore_schedules.h"
#include "harness/engine/workload.h"

namespace ledgerstress {

// The explore workload: the case's sessions, planned as steps
// (explore_plan.h), run in every interleaving of their steps or in PCT
// schedules (explore_schedules.h), each schedule on a fresh fixture (every
// table of the case's schema truncated, the [schema] fixture run again),
// then the case's invariants checked on what it left.
//
// Fills r->explore (the counts, the counterexample: the failing schedule
// with the fewest context switches, and its isolation tester spec),
// r->operations (each call's outcome over every schedule; no latencies),
// and r->invariants (an invariant is violated when some schedule broke
// it, with that schedule's samples). A harness failure sets r->verdict =
// Verdict::kError with why. Never throws. From the case's thread.
void RunExploreWorkload(const CaseSpec& spec, const WorkloadEnv& env, CaseResult* r);

// On the built-in schema, every schedule starts with this many users
// (app_user ids 1..kExploreUsers, no wallets): what a call's params name.
constexpr std::int64_t kExploreUsers = 10;

// The explorer's sessions' deadlock_timeout (when the role may set it):
// far longer than the explorer takes to send the step that closes a cycle
// (a few ms), so the session that waited first always runs the deadlock
// check first and is the victim, whatever the machine's load; short enough
// that a deadlocking schedule costs little.
constexpr std::chrono::milliseconds kExploreDeadlockTimeout{200};

// Which schedules a case runs: the mode, the count of interleavings, the
// ids, PCT's guarantee. Pure.
struct ExploreChoice {
  std::string mode;  // "every interleaving", "pct", "one schedule"
  bool pct = false;
  std::uint64_t interleavings = 0;
  std::vector<int> steps;  // per session
  std::vector<std::uint64_t> ids;
  std::string guarantee;
};
ExploreChoice ChooseSchedules(const CaseSpec& spec);
StepOrder ScheduleOf(const ExploreChoice& choice, const CaseSpec& spec, std::uint64_t id);

// Refuses a `schedule` that names no interleaving of its case (every
// interleaving mode; any id is a PCT draw): ScenarioError at its position.
// Before any case runs (no server needed).
void CheckScheduleIds(const std::vector<CaseSpec>& cases);

// "2 sessions, 10 steps: 252 interleavings, every one runs": the line the
// run prints before the case starts.
std::string ExploreAnnouncement(const CaseSpec& spec);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_WORKLOAD_H_
