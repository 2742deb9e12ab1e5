#include "harness/engine/shard_exchange.h"

#include "harness/engine/shard_in_doubt.h"
#include "harness/engine/shard_link.h"
#include "harness/engine/shard_part.h"
#include "harness/host_info.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {
namespace {

std::uint64_t Calls(const std::vector<OperationResult>& ops) {
  std::uint64_t n = 0;
  for (const OperationResult& op : ops) n += op.calls;
  return n;
}

ShardPart OwnPart(const ShardLink& link, const CaseResult& r, const ClientHistory& history, const RoundSpans& spans,
                  const std::string& failure) {
  ShardPart p;
  p.shard = link.spec().index;
  p.host = ReadHostInfo().name;
  p.operations = r.operations;
  p.arrivals = r.arrivals;
  p.rounds_completed = r.rounds_completed;
  p.workers_seconds = r.workers_seconds;
  p.failure = failure;
  p.logs = history.logs();
  p.duplicates = history.duplicates();
  p.returns = history.returns();
  p.round_spans = spans;
  return p;
}

void Add(const ShardPart& p, CaseResult* r, ClientHistory* history, std::string* failure) {
  AddOperations(&r->operations, p.operations);
  AddArrivals(&r->arrivals, p.arrivals);
  r->rounds_completed = std::min(r->rounds_completed, p.rounds_completed);
  r->workers_seconds = std::max(r->workers_seconds, p.workers_seconds);
  if (failure->empty() && !p.failure.empty()) *failure = "shard " + std::to_string(p.shard) + ": " + p.failure;
  for (const ClientHistory::Log& log : p.logs) history->Add(log);
  history->AddDuplicates(p.duplicates);
  history->AddReturns(p.returns);
}

// A shard whose part never came: its share as lost, its calls in doubt
// and resolved by key (harness/engine/shard_in_doubt.h).
void AddLost(const WorkloadEnv& env, const ShardLink::Part& part, std::int64_t calls_bound, int workers,
             CaseResult* r, ClientHistory* history, std::string* failure) {
  ShardSpec spec = env.shard->spec();
  spec.index = part.shard;
  const WorkerSlice slice = SliceOf(spec, workers);
  ShardShare share{part.shard, "?", slice.size(), 0, {}};
  share.lost = true;
  std::string resolved;
  try {
    share.host = env.shard->HostOf(part.shard);
    const LostCalls lost = ResolveLostCalls(env, *history, slice, calls_bound);
    for (const ClientHistory::Log& log : lost.logs) history->Add(log);
    share.in_doubt_committed = lost.committed;
    share.in_doubt_absent = lost.absent;
    resolved = "; its calls, in doubt, resolved by key: " + std::to_string(lost.committed) + " committed, " +
               std::to_string(lost.absent) + " absent";
  } catch (const std::exception& e) {
    share.in_doubt_unresolved = true;
    resolved = "; its calls could not be resolved by key: " + FirstLine(e.what());
  }
  r->shards.push_back(share);
  const std::string named = "shard " + std::to_string(part.shard) + " (";
  if (failure->empty()) {
    *failure = part.lost + resolved;
  } else if (failure->rfind(named, 0) == 0) {
    *failure += resolved;  // the error names the shard already (its loss at a barrier)
  } else {
    *failure += " (" + part.lost + resolved + ")";
  }
}

}  // namespace

void ExchangeShardParts(const WorkloadEnv& env, std::int64_t calls_bound, CaseResult* r, ClientHistory* history,
                        RoundSpans* spans, std::string* failure) {
  ShardLink& link = *env.shard;
  const int workers = r->workers;

  const WorkerSlice own = SliceOf(link.spec(), workers);
  r->shards.push_back(
      ShardShare{link.spec().index, ReadHostInfo().name, own.size(), Calls(r->operations), r->operations});
  const std::string key = env.schema + "/part";
  try {
    if (!link.coordinator()) {
      // A shard stopped short (Ctrl-C, SIGTERM from its orchestrator) has no whole share to give.
      std::string part_failure = *failure;
      if (part_failure.empty() && (env.stop->stop_requested() || r->rounds_completed < r->rounds)) {
        part_failure = "stopped after " + std::to_string(r->rounds_completed) + " of " + std::to_string(r->rounds) +
                       " rounds" + (env.stop->stop_requested() ? " (a stop was requested)" : "");
      }
      link.Post(key, EncodeShardPart(OwnPart(link, *r, *history, *spans, part_failure)));
      r->workers = own.size();  // this shard's own report: its slice
      return;
    }
    for (const ShardLink::Part& part : link.AwaitParts(key, link.Others())) {
      if (!part.posted) {
        AddLost(env, part, calls_bound, workers, r, history, failure);
        continue;
      }
      const ShardPart p = DecodeShardPart(part.body);
      ShardSpec spec = link.spec();
      spec.index = part.shard;
      r->shards.push_back(
          ShardShare{p.shard, p.host, SliceOf(spec, workers).size(), Calls(p.operations), p.operations});
      Add(p, r, history, failure);
      AddSpans(spans, p.round_spans);
    }
  } catch (const std::exception& e) {
    if (failure->empty()) *failure = FirstLine(e.what());
  }
}

}  // namespace ledgerstress
