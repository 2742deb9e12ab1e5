#include "harness/engine/cannot_run.h"

#include "harness/engine/retry_asked.h"
#include "model/metrics.h"

namespace ledgerstress {
namespace {

// How to get a server metric measured.
std::string HowToMeasure(const std::string& metric, const CaseSpec& spec) {
  if (metric.rfind("server.", 0) != 0) return "the case must call the operation (check its mix and schedule)";
  if (spec.monitor_interval.count() == 0) return "set monitor_interval above 0 (sampling is off)";
  return "install the extensions in this database: CREATE EXTENSION pgrowlocks (rows locked); "
         "CREATE EXTENSION pg_stat_statements, with pg_stat_statements in shared_preload_libraries (statements)";
}

}  // namespace

std::vector<std::string> CannotRun(const CaseSpec& spec, const CaseResult& r) {
  std::vector<std::string> out;
  if (spec.deadlock_injection) {
    if (!r.faults.missing.empty()) {
      out.push_back("deadlock_injection: " + r.faults.missing);
    } else if (r.faults.deadlocks_injected == 0) {
      out.push_back("deadlock_injection: no deadlock was injected in " + std::to_string(r.faults.injection_attempts) +
                    " attempt(s); the mix must pledge (mix.pledge_funds) often enough for a pledge to block on the "
                    "project row within 500 ms (more workers, a longer duration, or a larger deadlock_every)");
    } else if (r.server.deadlocks_delta == 0) {
      // The injector's word is not enough: an injection the server never
      // saw as a deadlock is none (a pledge that takes its locks in another
      // order blocks without closing the cycle).
      out.push_back("deadlock_injection: " + std::to_string(r.faults.deadlocks_injected) +
                    " injection(s) counted, but the server detected no deadlock (pg_stat_database.deadlocks did not "
                    "move): no cycle formed. Does the pledge lock the donor's wallet before the project row? The "
                    "injector holds the project and then asks for the wallet of a pledge that waits for it");
    }
  }
  if (spec.backend_kill_every.count() > 0 && r.faults.backends_killed <= 0 && !r.faults.missing.empty()) {
    out.push_back("backend_kill_every: " + r.faults.missing +
                  "; the role needs to be allowed pg_terminate_backend on its own sessions (a role may always "
                  "terminate its own backends; a superuser or pg_signal_backend may terminate any)");
  }
  if (spec.server_crash_every.count() > 0) {
    if (!r.faults.missing.empty()) {
      out.push_back("server_crash_every: " + r.faults.missing + " (see server.log in the cluster's directory)");
    } else if (r.faults.server_crashes <= 0) {
      out.push_back("server_crash_every: the case ended before the first crash, " +
                    std::to_string(spec.server_crash_every.count()) + " ms in; make the duration longer than "
                    "server_crash_every");
    }
  }
  if (spec.lost_reply_every.count() > 0 && r.faults.replies_lost == 0) {
    out.push_back("lost_reply_every: no COMMIT reply was lost (no transaction committed through the proxy after it "
                  "was armed); make the duration longer than lost_reply_every, or the mix commit more often");
  }
  if (const std::string retry = RetryEvidenceMissing(spec, r); !retry.empty()) out.push_back(retry);
  for (const CheckResult& c : r.checks) {
    if (c.name == "lock_footprint" && r.server.max_escrow_rows_locked_by_one < 0) {
      out.push_back("lock_footprint: escrow rows locked not measured: " + r.server.missing + "; " +
                    HowToMeasure("server.max_escrow_rows_locked", spec));
    }
  }
  for (const Threshold& t : spec.thresholds) {
    double v = 0;
    std::string why;
    if (MetricValue(r, t.metric, &v, &why)) continue;
    out.push_back("threshold on " + t.metric + ": " + why + "; " + HowToMeasure(t.metric, spec));
  }
  return out;
}

}  // namespace ledgerstress
