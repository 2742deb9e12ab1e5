#ifndef LEDGERSTRESS_HARNESS_ENGINE_RUN_SHARDS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_RUN_SHARDS_H_

// What a sharded run (`run --shard i/N --run-id ID`) checks before it
// starts and does after its last case; the cases themselves are shared
// through harness/engine/shard_link.h.

#include "harness/engine/shard_link.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// Throws ScenarioError naming the first case of `s` that cannot be split
// over processes: a workload other than race and ledger (a close round's
// closers and an explored schedule are one process's), or lost_reply_every
// (the proxy that loses replies sits in shard 0's process). Nothing when
// `shard` is not sharded.
void CheckShardable(const Scenario& s, const ShardSpec& shard);

// After the last case (or the error that ended the run): every shard posts
// "run/end" and waits for that of every other shard still there (up to the
// timeout; a shard that is gone is not waited for, nor one that has not
// joined once the timeout has passed since this shard joined: a shard that
// joins a moment after shard 0 ended the run still learns why). Then,
// unless `keep_data`, the shard that cleans up (shard 0, or when it is
// gone the lowest shard left) drops what the run made: the
// `case_schemas` that are left and the coordination schema. Never throws.
void EndShards(ShardLink* link, const std::vector<std::string>& case_schemas, bool keep_data);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_RUN_SHARDS_H_
