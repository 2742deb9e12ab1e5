#include "reports/shard_report.h"

#include <cstdio>

namespace ledgerstress {
namespace {

std::string LostText(const ShardShare& s) {
  if (s.in_doubt_unresolved) return "lost, its calls unresolved";
  return "lost, its calls in doubt: " + std::to_string(s.in_doubt_committed) + " committed, " +
         std::to_string(s.in_doubt_absent) + " absent (by key)";
}

}  // namespace

std::string ShardsText(const CaseResult& c) {
  if (c.shards.empty()) return "";
  std::uint64_t total = 0;
  for (const ShardShare& s : c.shards) total += s.calls;
  std::string text = c.shards.size() == 1 ? "this shard's share (shard 0's report has the run's): "
                                          : std::to_string(c.shards.size()) + " shards: ";
  for (std::size_t i = 0; i < c.shards.size(); ++i) {
    const ShardShare& s = c.shards[i];
    char share[32];
    std::snprintf(share, sizeof share, " (%.1f%%)",
                  total ? 100.0 * static_cast<double>(s.calls) / static_cast<double>(total) : 0.0);
    text += (i ? "; " : "") + std::string("shard ") + std::to_string(s.index) + " (host " + s.host + ") " +
            std::to_string(s.workers) + " workers, " +
            (s.lost ? LostText(s) : std::to_string(s.calls) + " calls" + (c.shards.size() > 1 ? share : ""));
  }
  return text;
}

std::string ReleaseSkewText(const CaseResult& c) {
  const ReleaseSkew& s = c.release_skew;
  if (s.rounds == 0) return "";
  char buf[160];
  std::snprintf(buf, sizeof buf, "workers released within %.2f ms (p50) / %.2f ms (p99) of each other over %d round%s",
                s.p50_ms, s.p99_ms, s.rounds, s.rounds == 1 ? "" : "s");
  return buf;
}

}  // namespace ledgerstress
