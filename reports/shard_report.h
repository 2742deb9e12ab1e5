#ifndef LEDGERSTRESS_REPORTS_SHARD_REPORT_H_
#define LEDGERSTRESS_REPORTS_SHARD_REPORT_H_

// A sharded case's shares and the barrier's release skew, in words, for
// the Markdown and HTML reports and the run's stdout. Pure; any thread.

#include <string>

#include "model/run_result.h"

namespace ledgerstress {

// "4 shards: shard 0 (host a) 25 workers, 500 calls (25.0%); shard 1 ..."
// (shard 0's report), "this shard's share (...): shard 2 (host c) 25
// workers, 500 calls" (another shard's), or "" when the case was not
// sharded.
std::string ShardsText(const CaseResult& c);

// "workers released within 0.41 ms (p50) / 2.10 ms (p99) of each other
// over 20 rounds", or "" when no round was measured.
std::string ReleaseSkewText(const CaseResult& c);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_SHARD_REPORT_H_
