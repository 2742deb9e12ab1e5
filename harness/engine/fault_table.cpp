#include "harness/engine/fault_table.h"

#include "harness/faults/backend_killer.h"
#include "harness/faults/deadlock_injector.h"
#include "harness/faults/lost_reply_fault.h"
#include "harness/faults/server_crasher.h"

namespace ledgerstress {
namespace {

std::string DeadlockCannotRun(const CaseSpec&, const CaseResult& r) {
  if (!r.faults.missing.empty()) return "deadlock_injection: " + r.faults.missing;
  if (r.faults.deadlocks_injected == 0) {
    return "deadlock_injection: no deadlock was injected in " + std::to_string(r.faults.injection_attempts) +
           " attempt(s); the mix must pledge (mix.pledge_funds) often enough for a pledge to block on the "
           "project row within 500 ms (more workers, a longer duration, or a larger deadlock_every)";
  }
  if (r.server.deadlocks_delta == 0) {
    // The injector's word is not enough: an injection the server never
    // saw as a deadlock is none (a pledge that takes its locks in another
    // order blocks without closing the cycle).
    return "deadlock_injection: " + std::to_string(r.faults.deadlocks_injected) +
           " injection(s) counted, but the server detected no deadlock (pg_stat_database.deadlocks did not "
           "move): no cycle formed. Does the pledge lock the donor's wallet before the project row? The "
           "injector holds the project and then asks for the wallet of a pledge that waits for it";
  }
  return "";
}

std::string BackendKillCannotRun(const CaseSpec&, const CaseResult& r) {
  if (r.faults.Figure("backends_killed") > 0 || r.faults.missing.empty()) return "";
  return "backend_kill_every: " + r.faults.missing +
         "; the role needs to be allowed pg_terminate_backend on its own sessions (a role may always "
         "terminate its own backends; a superuser or pg_signal_backend may terminate any)";
}

std::string ServerCrashCannotRun(const CaseSpec& spec, const CaseResult& r) {
  if (!r.faults.missing.empty()) {
    return "server_crash_every: " + r.faults.missing + " (see server.log in the cluster's directory)";
  }
  if (r.faults.Figure("server_crashes") > 0) return "";
  return "server_crash_every: the case ended before the first crash, " +
         std::to_string(spec.ledger.server_crash_every.count()) +
         " ms in; make the duration longer than server_crash_every";
}

std::string LostReplyCannotRun(const CaseSpec&, const CaseResult& r) {
  if (r.faults.Figure("replies_lost") != 0) return "";
  return "lost_reply_every: no COMMIT reply was lost (no transaction committed through the proxy after it "
         "was armed); make the duration longer than lost_reply_every, or the mix commit more often";
}

}  // namespace

const std::vector<FaultRow>& FaultTable() {
  static const std::vector<FaultRow> rows = {
      {"deadlock_injection", [](const CaseSpec& s) { return s.ledger.deadlock_injection; },
       [](const FaultEnv& e) -> std::unique_ptr<Fault> {
         return std::make_unique<DeadlockInjector>(e.target, e.schema, e.app_prefix, e.pledge_project,
                                                   e.spec.ledger.deadlock_every, e.spec.workers, e.workers_set_timeout);
       },
       DeadlockCannotRun,
       {}},  // its figures are FaultReport's own fields
      {"backend_kill_every", [](const CaseSpec& s) { return s.ledger.backend_kill_every.count() > 0; },
       [](const FaultEnv& e) -> std::unique_ptr<Fault> {
         return std::make_unique<BackendKiller>(e.target, e.app_prefix, e.spec.ledger.backend_kill_every, e.spec.seed);
       },
       BackendKillCannotRun,
       {{"backends_killed", -1, ""}}},
      {"server_crash_every", [](const CaseSpec& s) { return s.ledger.server_crash_every.count() > 0; },
       [](const FaultEnv& e) -> std::unique_ptr<Fault> {
         if (e.monitor) e.monitor->ExpectRestarts();  // the crashes reset the server's statistics
         return std::make_unique<ServerCrasher>(e.target.own_cluster, e.spec.ledger.server_crash_every);
       },
       ServerCrashCannotRun,
       {{"server_crashes", -1, ""}, {"longest_outage_s", 0, ""}}},
      // On the wire: the workers and their drivers connect through its proxy
      // (Fault::WorkerTarget), the watchers keep the direct route.
      {"lost_reply_every", [](const CaseSpec& s) { return s.ledger.lost_reply_every.count() > 0; },
       [](const FaultEnv& e) -> std::unique_ptr<Fault> {
         return std::make_unique<LostReplyFault>(e.target, e.spec.ledger.lost_reply_every);
       },
       LostReplyCannotRun,
       {{"replies_lost", -1, ""}}},
  };
  return rows;
}

}  // namespace ledgerstress
