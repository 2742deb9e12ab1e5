#ifndef LEDGERSTRESS_HARNESS_ENGINE_SHARD_EXCHANGE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SHARD_EXCHANGE_H_

// The end of a sharded case's workload, once this shard's workers joined
// and their figures are in `r` and their calls in `history`.
//   - Shard i > 0 posts its part (harness/engine/shard_part.h) under
//     "<schema>/part".
//   - Shard 0 waits for every other shard's part, adds their figures to
//     `r` exactly (harness/engine/shard_merge.h) and their calls to
//     `history`, so that the invariants and the history check see the
//     whole run.
//   - A shard whose part never comes (gone, ended the run first, or never
//     joined) is lost: shard 0 resolves its calls by key (every one in
//     doubt; harness/engine/shard_in_doubt.h, `calls_bound` is the number
//     of calls each worker makes when known, else 0), adds them to
//     `history` and records the share as lost, so that the checks can
//     still run over every call; the case is an error naming the shard.
// Both record the shards' shares in r->shards (shard 0: all of them; the
// others: their own) and (shard 0) widens *spans, each round's first and
// last release, by every shard's. What fails (a lost shard, a shard whose
// worker stopped early) is set in *failure, or added to it in parentheses
// when it already holds an error.
// From the thread that runs the case.

#include <string>

#include "harness/engine/shard_merge.h"
#include "harness/engine/workload.h"

namespace ledgerstress {

void ExchangeShardParts(const WorkloadEnv& env, std::int64_t calls_bound, CaseResult* r, ClientHistory* history,
                        RoundSpans* spans, std::string* failure);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SHARD_EXCHANGE_H_
