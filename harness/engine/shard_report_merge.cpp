#include "harness/engine/shard_report_merge.h"

#include <map>

#include "harness/engine/shard_merge.h"
#include "model/operation_json.h"

namespace ledgerstress {
namespace {

using nlohmann::json;

struct Shard {
  int index = 0;
  const ShardReport* report = nullptr;
};

// The reports by shard index, checked to be one run's N shards.
std::vector<Shard> ShardsOf(const std::vector<ShardReport>& reports) {
  std::map<int, const ShardReport*> by_index;
  std::string run_id;
  int count = 0;
  for (const ShardReport& r : reports) {
    const json& run = r.json.value("run", json::object());
    const json shard = run.value("shard", json());
    if (!shard.is_object()) {
      throw std::runtime_error(r.path + ": not a shard's report (run.shard is null): merge takes the JSON reports "
                               "of the processes of one 'run --shard I/N'");
    }
    const std::string id = run.value("id", "");
    if (count == 0) {
      run_id = id;
      count = shard.value("count", 0);
    }
    if (id != run_id || shard.value("count", 0) != count) {
      throw std::runtime_error(r.path + ": run " + id + " with " + std::to_string(shard.value("count", 0)) +
                               " shards, not run " + run_id + " with " + std::to_string(count) +
                               " like the first report: merge the reports of one run");
    }
    const int index = shard.value("index", -1);
    if (!by_index.emplace(index, &r).second) {
      throw std::runtime_error(r.path + ": shard " + std::to_string(index) + " is given twice (also " +
                               by_index[index]->path + ")");
    }
  }
  std::vector<Shard> out;
  for (int i = 0; i < count; ++i) {
    if (!by_index.count(i)) {
      throw std::runtime_error("shard " + std::to_string(i) + " of " + std::to_string(count) + " of run " + run_id +
                               ": no report given; merge needs every shard's");
    }
    out.push_back(Shard{i, by_index[i]});
  }
  return out;
}

const json& CaseIn(const ShardReport& r, const json& like) {
  static const json kNone = json::array();
  const auto cases = r.json.find("cases");
  for (const json& c : cases == r.json.end() ? kNone : *cases) {
    if (c.value("name", "") == like.value("name", "") && c.value("repetition", 1) == like.value("repetition", 1)) {
      return c;
    }
  }
  throw std::runtime_error(r.path + ": no case '" + like.value("name", "") + "' (repetition " +
                           std::to_string(like.value("repetition", 1)) + ")");
}

// The `shards` entry a shard's report holds for itself.
const json& OwnShare(const Shard& s, const json& c) {
  static const json kNone = json::array();
  const auto shares = c.find("shards");
  for (const json& share : shares == c.end() || shares->is_null() ? kNone : *shares) {
    if (share.value("index", -1) == s.index) return share;
  }
  throw std::runtime_error(s.report->path + ": case '" + c.value("name", "") + "' holds no share of shard " +
                           std::to_string(s.index) + " (did the case run?)");
}

// Statements the server counted (a driver that reports none) are shard 0's
// attribution of the whole case's count, made after the live merge: kept.
void KeepServerCounts(const json& base, json* merged) {
  for (json& op : *merged) {
    for (const json& b : base) {
      if (b.value("name", "") != op.value("name", "") || b.value("strategy", "") != op.value("strategy", "")) continue;
      if (b.value("statements_source", json()).is_string() && b["statements_source"] == "server") {
        for (const char* k : {"statements", "statements_source", "statements_missing"}) op[k] = b.value(k, json());
      }
    }
  }
}

}  // namespace

json MergeShardReports(const std::vector<ShardReport>& reports) {
  const std::vector<Shard> shards = ShardsOf(reports);
  json merged = shards.front().report->json;
  for (json& c : merged["cases"]) {
    std::vector<OperationResult> ops;
    json shares = json::array();
    for (const Shard& s : shards) {
      const json& share = OwnShare(s, CaseIn(*s.report, c));
      std::vector<OperationResult> own;
      for (const json& op : share.value("operations", json::array())) own.push_back(OperationFromJson(op));
      AddOperations(&ops, own);
      shares.push_back(share);
    }
    json out = json::array();
    for (const OperationResult& op : ops) out.push_back(OperationToJson(op));
    KeepServerCounts(c.value("operations", json::array()), &out);
    c["operations"] = out;
    c["shards"] = shares;
  }
  merged["run"]["shard"] = {{"index", 0}, {"count", static_cast<int>(shards.size())}, {"merged", true}};
  return merged;
}

}  // namespace ledgerstress
