#ifndef LEDGERSTRESS_HARNESS_ENGINE_SHARD_MERGE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SHARD_MERGE_H_

// Adding up what the shards of one run measured, from the figures a report
// keeps: the latency histograms' bucket counts are added, so a merged
// percentile is the percentile of every call at the histogram's resolution
// (never an average of percentiles); counters are summed. Used by shard 0
// of a sharded run (harness/engine/shard_link.h) and by `ledgerstress
// merge`. Pure functions of their arguments; any thread.

#include <cstdint>
#include <utility>
#include <vector>

#include "harness/engine/histogram.h"
#include "harness/engine/op_stats.h"
#include "model/run_result.h"

namespace ledgerstress {

// The histogram a summary was made from (Summarize's inverse on its
// buckets, min, max and count; the sum from its mean, so a merged mean is
// within rounding of the one-process mean).
Histogram HistogramOf(const LatencySummary& s);

// The summary of every call of `a` and `b`.
LatencySummary MergeLatency(const LatencySummary& a, const LatencySummary& b);

// Adds `part`'s operations to `into`'s: an operation of the same name and
// strategy gets its calls, outcomes, latency (exactly), statements, retries
// and samples added; one not in `into` is appended. The per-second series
// add calls and errors second by second; their p50 is the calls-weighted
// mean and their p99 the larger of the two (the series are coarse: within
// 25%, as each shard's own).
void AddOperations(std::vector<OperationResult>* into, const std::vector<OperationResult>& part);

// Adds `part`'s arrivals (open model) to `into`'s: started, dropped and the
// lag histogram.
void AddArrivals(ArrivalReport* into, const ArrivalReport& part);

// Each round's first and last release of a worker (unix ns): spans[k] for
// round k + 1.
using RoundSpans = std::vector<std::pair<std::int64_t, std::int64_t>>;
RoundSpans SpansOf(const std::vector<const WorkerOutput*>& workers);
// Widens `into`'s spans by `part`'s (another shard's), round by round.
void AddSpans(RoundSpans* into, const RoundSpans& part);
// The rounds' release skews (last - first), as percentiles.
ReleaseSkew SkewOf(const RoundSpans& spans);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SHARD_MERGE_H_
