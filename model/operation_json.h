#ifndef LEDGERSTRESS_MODEL_OPERATION_JSON_H_
#define LEDGERSTRESS_MODEL_OPERATION_JSON_H_

// An operation's figures (and a case's arrivals) as JSON, one spelling for
// everything that writes or reads them: the JSON report, the report reader
// (compare, merge) and the parts a shard sends to shard 0. Each FromJson
// is the inverse of its ToJson; it reads what an older report lacks as
// empty (a missing histogram: no buckets). Pure functions; any thread.

#include <nlohmann/json.hpp>

#include "model/run_result.h"

namespace ledgerstress {

nlohmann::json LatencyToJson(const LatencySummary& l);
LatencySummary LatencyFromJson(const nlohmann::json& j);

nlohmann::json OperationToJson(const OperationResult& op);
// Throws nlohmann::json::exception on a value of the wrong type.
OperationResult OperationFromJson(const nlohmann::json& j);

nlohmann::json ArrivalsToJson(const ArrivalReport& a);
ArrivalReport ArrivalsFromJson(const nlohmann::json& j);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_OPERATION_JSON_H_
