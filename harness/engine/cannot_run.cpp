#include "harness/engine/cannot_run.h"

#include "harness/engine/fault_table.h"
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
  for (const FaultRow& fault : FaultTable()) {
    if (!fault.asked(spec)) continue;
    if (std::string why = fault.cannot_run(spec, r); !why.empty()) out.push_back(std::move(why));
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
