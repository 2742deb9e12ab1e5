#include "harness/drivers/driver_ops.h"

#include <algorithm>
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

// A declared operation's drawn values as the call's `args`.
json DeclaredArgs(const SqlOperation& op, const std::vector<std::string>& values) {
  json out = json::object();
  for (std::size_t p = 0; p < op.params.size(); ++p) {
    switch (op.params[p].gen.kind) {
      case GeneratorKind::kInt:
      case GeneratorKind::kWorker:
      case GeneratorKind::kRound:
      case GeneratorKind::kFixture: out[op.params[p].name] = std::stoll(values[p]); break;
      default: out[op.params[p].name] = values[p];
    }
  }
  return out;
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

OperationFn BindDeclaredDriverCall(std::shared_ptr<const SqlOperation> op, const VarValues& vars,
                                   const std::string& strategy) {
  auto draw = std::make_shared<const ParamDraw>(std::move(op), vars);
  return [draw, strategy](CallContext& ctx, const CallArgs&) {
    static thread_local std::vector<std::string> values;  // one call at a time per worker thread
    draw->Draw(ctx, &values);
    ctx.drawn = &values;
    const SqlOperation& op = draw->op();
    DriverCallReport report;
    try {
      ctx.driver->Call(op.name, strategy, DeclaredArgs(op, values).dump(), &report);
    } catch (const DriverCallRefused&) {
      AccountDriverReport(ctx.observer, report);
      throw;
    } catch (const DriverCallFailed& e) {
      AccountDriverReport(ctx.observer, report);
      const auto& expected = op.expected_sqlstates;
      if (std::find(expected.begin(), expected.end(), e.sqlstate()) != expected.end()) {
        throw DriverCallRefused(e.sqlstate(), e.what());
      }
      throw;
    } catch (...) {
      AccountDriverReport(ctx.observer, report);
      throw;
    }
    AccountDriverReport(ctx.observer, report);
  };
}

}  // namespace ledgerstress
