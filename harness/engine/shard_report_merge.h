#ifndef LEDGERSTRESS_HARNESS_ENGINE_SHARD_REPORT_MERGE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SHARD_REPORT_MERGE_H_

// `ledgerstress merge`: the JSON reports the shards of one run wrote,
// merged offline into one. Shard 0's report is the base (its verdicts,
// invariants, server figures and metadata are the run's); each case's
// operations are recomputed from every shard's own share (the `shards`
// entry a shard's report holds for itself), with the latency histograms'
// bucket counts added (harness/engine/shard_merge.h), so the result's
// figures are what shard 0 merged live. Pure; any thread.

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ledgerstress {

struct ShardReport {
  std::string path;  // for messages
  nlohmann::json json;
};

// Throws std::runtime_error ("<path>: ...") when a report is not a shard's
// (no run.shard), the reports are of different runs or shard counts, a
// shard is given twice or missing (named), or a case or a shard's own
// share is missing.
nlohmann::json MergeShardReports(const std::vector<ShardReport>& reports);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SHARD_REPORT_MERGE_H_
