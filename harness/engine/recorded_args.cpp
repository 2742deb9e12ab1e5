#include "harness/engine/recorded_args.h"

#include "harness/invariants/client_history.h"
#include "harness/operations/sql_operation.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

// A built-in call's argument by its name in the operation table's `args`.
std::string BuiltinValue(const std::string& name, const CallArgs& a) {
  if (name == "user_id") return std::to_string(a.user_id);
  if (name == "project_id") return std::to_string(a.project_id);
  if (name == "amount") return settlement::FormatCents(a.amount);
  if (name == "pledge_type") return a.pledge_type ? a.pledge_type : "";
  if (name == "pocket") return a.pocket ? a.pocket : "";
  return "";
}

}  // namespace

ArgRecorder RecorderFor(const OperationDef& def) {
  ArgRecorder r;
  if (def.sql) {
    for (std::size_t i = 0; i < def.sql->params.size(); ++i) {
      if (def.sql->params[i].gen.kind == GeneratorKind::kUnique) continue;
      r.names.push_back(def.sql->params[i].name);
      r.slots.push_back(i);
    }
    return r;
  }
  for (const std::string& a : def.args) {
    if (a != "key" && a != "weights") r.names.push_back(a);
  }
  return r;
}

void ArgRecorder::Append(const CallContext& ctx, const CallArgs& args, std::string* out) const {
  if (!slots.empty() && !ctx.drawn) return;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out->push_back(ClientHistory::kArgSeparator);
    if (slots.empty()) *out += BuiltinValue(names[i], args);
    else *out += (*ctx.drawn)[slots[i]];
  }
}

}  // namespace ledgerstress
