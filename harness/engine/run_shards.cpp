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

void EndShards(ShardLink* link, bool keep_data) {
  if (!link) return;
  try {
    if (!link->coordinator()) {
      link->Post("run/end");
      return;
    }
    link->Await("run/end", link->JoinedOthers());  // one that never came is not waited for again
  } catch (const std::exception&) {
    // A shard that is gone or late: the schema goes all the same.
  }
  if (!keep_data) link->Drop();
}

}  // namespace ledgerstress
