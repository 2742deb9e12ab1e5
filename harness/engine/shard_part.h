#ifndef LEDGERSTRESS_HARNESS_ENGINE_SHARD_PART_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SHARD_PART_H_

// One shard's share of a case of a sharded run, as it travels to shard 0
// through the run's coordination schema (harness/engine/shard_link.h):
// what its workers measured (the operations as the JSON report writes
// them, histograms as bucket counts; model/operation_json.h) and what its clients saw (the history the invariants and
// the history check need). Encoded as JSON text; any thread.

#include <cstdint>
#include <string>
#include <vector>

#include "harness/invariants/client_history.h"
#include "model/run_result.h"

namespace ledgerstress {

struct ShardPart {
  int shard = 0;
  std::string host;
  std::vector<OperationResult> operations;
  ArrivalReport arrivals;
  int rounds_completed = 0;
  double workers_seconds = 0;
  std::string failure;  // why a worker of the shard stopped early, "" when none did
  std::vector<ClientHistory::Log> logs;
  std::vector<ClientHistory::Duplicate> duplicates;
  std::vector<ClientHistory::Return> returns;
  // Each round's first and last worker release on this shard (unix ns).
  std::vector<std::pair<std::int64_t, std::int64_t>> round_spans;
};

std::string EncodeShardPart(const ShardPart& part);
// Throws std::runtime_error on text EncodeShardPart did not write.
ShardPart DecodeShardPart(const std::string& text);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SHARD_PART_H_
