#include "harness/drivers/driver_ops.h"

#include <map>

#include <nlohmann/json.hpp>

#include "harness/drivers/driver_client.h"

namespace ledgerstress {
namespace {

using json = nlohmann::json;
using ArgWriter = json (*)(const CallContext&, const CallArgs&);

// Each argument name of the protocol and how its value is written.
const std::map<std::string, ArgWriter>& ArgWriters() {
  static const std::map<std::string, ArgWriter> table = {
      {"user_id", [](const CallContext&, const CallArgs& a) { return json(a.user_id); }},
      {"project_id", [](const CallContext&, const CallArgs& a) { return json(a.project_id); }},
      {"amount", [](const CallContext&, const CallArgs& a) { return json(settlement::FormatCents(a.amount)); }},
      {"pledge_type", [](const CallContext&, const CallArgs& a) { return json(a.pledge_type ? a.pledge_type : ""); }},
      {"pocket", [](const CallContext&, const CallArgs& a) { return json(a.pocket ? a.pocket : ""); }},
      {"weights", [](const CallContext&, const CallArgs& a) { return a.weights ? json(*a.weights) : json::array(); }},
      {"key", [](const CallContext& c, const CallArgs&) { return json(c.key); }},
  };
  return table;
}

}  // namespace

std::string ArgsJson(const OperationDef& def, const CallContext& ctx, const CallArgs& args) {
  json out = json::object();
  for (const std::string& name : def.args) {
    const auto w = ArgWriters().find(name);
    if (w != ArgWriters().end()) out[name] = w->second(ctx, args);
  }
  return out.dump();
}

void AccountDriverReport(settlement::Observer& observer, const DriverCallReport& r) {
  if (r.statements >= 0) observer.OnStatementsReported(static_cast<std::uint64_t>(r.statements));
  if (r.attempts > 0) observer.OnRetriesReported(r.attempts, r.backoffs_ms, r.sleeps_in_transaction);
}

OperationFn BindDriverCall(const OperationDef& def, const std::string& strategy) {
  return [&def, strategy](CallContext& ctx, const CallArgs& args) {
    DriverCallReport report;
    try {
      ctx.driver->Call(def.name, strategy, ArgsJson(def, ctx, args), &report);
    } catch (...) {
      AccountDriverReport(ctx.observer, report);
      throw;
    }
    AccountDriverReport(ctx.observer, report);
  };
}

}  // namespace ledgerstress
