#ifndef LEDGERSTRESS_HARNESS_ENGINE_RETRY_ASKED_H_
#define LEDGERSTRESS_HARNESS_ENGINE_RETRY_ASKED_H_

#include <string>

#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// Whether a case asks for the retry_discipline check: it sets `retry`
// (the built-in code's loop, or the discipline a driver is told to follow
// in init), or names retry_discipline in `violates`.
bool AsksForRetryDiscipline(const CaseSpec& spec);

// Whether the case's driver reported "attempts" for some call. Then its
// retries are judged from its word as well as from the server's view; a
// driver that reports none is judged from the server's view alone.
bool DriverReportedAttempts(const CaseSpec& spec, const CaseResult& r);

// Why retry_discipline cannot judge a case that asks for it, "" when it
// can: a driver that reports no attempts leaves only the server's view (our
// sessions idle in transaction while a call is in flight), and the monitor
// did not sample it (monitor_interval = "0ms", a race workload, which is
// not sampled, or a server that could not be asked). Says what is missing
// and how to get it.
std::string RetryEvidenceMissing(const CaseSpec& spec, const CaseResult& r);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_RETRY_ASKED_H_
