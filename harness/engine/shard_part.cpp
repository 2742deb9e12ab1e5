#include "harness/engine/shard_part.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "model/operation_json.h"

namespace ledgerstress {
namespace {

using json = nlohmann::json;

// A log's calls as hex, two characters a call (JSON arrays of numbers
// would be four times larger).
std::string Hex(const std::vector<std::uint8_t>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::vector<std::uint8_t> Bytes(const std::string& hex) {
  if (hex.size() % 2) throw std::runtime_error("shard part: odd hex length");
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

json HistoryJson(const ShardPart& p) {
  json logs = json::array();
  for (const ClientHistory::Log& l : p.logs) {
    logs.push_back({{"prefix", l.key_prefix}, {"calls", Hex(l.calls)}, {"args", l.args}, {"args_end", l.args_end}});
  }
  json dups = json::array();
  for (const ClientHistory::Duplicate& d : p.duplicates) dups.push_back({d.key, d.call, d.args});
  return json{{"logs", logs}, {"duplicates", dups}, {"returns", p.returns}};
}

void HistoryOf(const json& j, ShardPart* p) {
  for (const json& l : j.at("logs")) {
    p->logs.push_back(ClientHistory::Log{l.at("prefix"), Bytes(l.at("calls")), l.at("args"),
                                         l.at("args_end").get<std::vector<std::uint32_t>>()});
  }
  for (const json& d : j.at("duplicates")) {
    p->duplicates.push_back(ClientHistory::Duplicate{d.at(0), d.at(1), d.at(2)});
  }
  p->returns = j.at("returns").get<std::vector<ClientHistory::Return>>();
}

}  // namespace

std::string EncodeShardPart(const ShardPart& p) {
  json ops = json::array();
  for (const OperationResult& op : p.operations) ops.push_back(OperationToJson(op));
  const json j{{"shard", p.shard},
               {"host", p.host},
               {"operations", ops},
               {"arrivals", ArrivalsToJson(p.arrivals)},
               {"rounds_completed", p.rounds_completed},
               {"workers_seconds", p.workers_seconds},
               {"failure", p.failure},
               {"history", HistoryJson(p)},
               {"round_spans", p.round_spans}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ShardPart DecodeShardPart(const std::string& text) {
  try {
    const json j = json::parse(text);
    ShardPart p;
    p.shard = j.at("shard");
    p.host = j.at("host");
    for (const json& op : j.at("operations")) p.operations.push_back(OperationFromJson(op));
    p.arrivals = ArrivalsFromJson(j.at("arrivals"));
    p.rounds_completed = j.at("rounds_completed");
    p.workers_seconds = j.at("workers_seconds");
    p.failure = j.at("failure");
    HistoryOf(j.at("history"), &p);
    p.round_spans = j.at("round_spans").get<std::vector<std::pair<std::int64_t, std::int64_t>>>();
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("a shard's part is not one this version writes: ") + e.what());
  }
}

}  // namespace ledgerstress
