#include "harness/engine/retry_asked.h"

#include <algorithm>

namespace ledgerstress {

bool AsksForRetryDiscipline(const CaseSpec& spec) {
  return spec.retry != settlement::RetryStrategy::kNone ||
         std::find(spec.violates.begin(), spec.violates.end(), "retry_discipline") != spec.violates.end();
}

bool DriverReportedAttempts(const CaseSpec& spec, const CaseResult& r) {
  if (!spec.driver) return false;
  for (const OperationResult& op : r.operations) {
    for (const auto& [attempts, calls] : op.attempts) {
      if (attempts > 0 && calls > 0) return true;
    }
  }
  return false;
}

std::string RetryEvidenceMissing(const CaseSpec& spec, const CaseResult& r) {
  if (!spec.driver || !AsksForRetryDiscipline(spec) || DriverReportedAttempts(spec, r)) return "";
  if (r.server.long_idle_in_transaction >= 0) return "";
  std::string why;
  if (spec.workload == Workload::kRace) why = "the race workload is not sampled";
  else if (spec.monitor_interval.count() == 0) why = "monitor_interval = \"0ms\" turns sampling off";
  else why = r.server.missing.empty() ? "the monitor took no sample" : r.server.missing;
  return "retry_discipline: driver '" + spec.driver->name + "' reports no \"attempts\", and the server's view of our "
         "sessions idle in transaction, the other evidence, was not sampled (" + why + "); report \"attempts\" and "
         "\"backoffs_ms\" in the driver's replies, or run the case in the ledger or close workload with "
         "monitor_interval above 0";
}

}  // namespace ledgerstress
