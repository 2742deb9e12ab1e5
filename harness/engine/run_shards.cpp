#include "harness/engine/run_shards.h"

#include "harness/scenario/scenario_loader.h"

namespace ledgerstress {

void CheckShardable(const Scenario& s, const ShardSpec& shard) {
  if (!shard.sharded()) return;
  for (const CaseSpec& c : s.cases) {
    if (c.workload != Workload::kRace && c.workload != Workload::kLedger) {
      throw ScenarioError("case '" + c.name + "': a '" + WorkloadName(c.workload) +
                          "' case runs in one process; --shard splits the workers of race and ledger cases "
                          "(run this case without --shard, or leave it out with --case)");
    }
    if (c.ledger.lost_reply_every.count() > 0) {
      throw ScenarioError("case '" + c.name + "': lost_reply_every loses replies on a proxy inside one process, "
                          "which the other shards' workers do not go through; run it without --shard");
    }
  }
}

void EndShards(ShardLink* link, const std::vector<std::string>& case_schemas, bool keep_data) {
  if (!link) return;
  try {
    link->Post("run/end");
    link->AwaitJoined();
    link->AwaitLiving("run/end");
  } catch (const std::exception&) {
    // A shard late beyond the timeout: what is left goes all the same.
  }
  if (!keep_data && link->CleansUp()) link->Drop(case_schemas);
}

}  // namespace ledgerstress
