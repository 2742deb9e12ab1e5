#ifndef LEDGERSTRESS_HARNESS_ENGINE_SHARD_IN_DOUBT_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SHARD_IN_DOUBT_H_

// The calls of a shard whose part of a case never came (its process died,
// or it ended the run before posting it). What its clients saw died with
// it, so every call it made is in doubt, and is resolved by its key as a
// call whose COMMIT reply was lost is: committed (a row under the key) or
// absent. The history check then counts them apart (in_doubt_committed,
// in_doubt_absent) and holds the other shards' calls to what their
// clients saw.
//
// Called by shard 0, from the thread that runs the case, after the
// workload; it opens its own connection.

#include <cstdint>
#include <vector>

#include "harness/engine/shard_link.h"
#include "harness/engine/workload.h"
#include "harness/invariants/client_history.h"

namespace ledgerstress {

struct LostCalls {
  std::vector<ClientHistory::Log> logs;  // one per worker of the slice, every call kInDoubt
  std::uint64_t committed = 0;           // keys some tracked operation's durable query finds
  std::uint64_t absent = 0;              // keys none finds
};

// How many keys ResolveLostCalls probes at once; it stops after a window
// in which no key is found.
constexpr std::int64_t kProbeWindow = 1000;

// First ends the sessions of the slice's workers (by application_name,
// WorkerAppName) and waits until they have left, so that nothing the lost
// shard sent can still commit. Then, for each worker, finds which of its
// keys (WorkerKeyPrefix + n) left a row by each operation `history`
// tracks, in windows of kProbeWindow keys until one finds none (and never
// at or beyond `calls_bound` when it is known, > 0: calls_per_worker times
// rounds). A key below the worker's last one found that no operation finds
// is absent; keys after the last one found are not counted (a last call
// that left nothing cannot be told from a call never made). Nothing to
// resolve (no tracked operation, as in the race workload): empty logs.
// Throws pqxx errors, and std::runtime_error when the sessions are still
// there after 10 s.
LostCalls ResolveLostCalls(const WorkloadEnv& env, const ClientHistory& history, const WorkerSlice& slice,
                           std::int64_t calls_bound);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SHARD_IN_DOUBT_H_
