#include "harness/engine/server_statements.h"

#include <vector>

namespace ledgerstress {
namespace {

// Why the server's count cannot be attributed to `unknown`, or "".
std::string WhyNot(const std::vector<OperationResult*>& unknown, bool injector_ran, const ServerObservation& s) {
  if (unknown.size() > 1) {
    std::string names;
    for (const OperationResult* op : unknown) names += (names.empty() ? "" : ", ") + op->name;
    return "the driver does not report them, and the server's count cannot be split between " + names;
  }
  if (injector_ran) return "the driver does not report them, and the deadlock injector's statements are in the server's count";
  if (s.statements_delta < 0) {
    return "the driver does not report them, and the server's count is missing" +
           (s.missing.empty() ? std::string() : " (" + s.missing + ")");
  }
  if (!s.statements_caveat.empty()) {
    return "the driver does not report them, and the server does not count them as the harness does: " +
           s.statements_caveat;
  }
  return "";
}

}  // namespace

void AttributeServerStatements(bool injector_ran, CaseResult* r) {
  std::vector<OperationResult*> unknown;
  std::uint64_t counted = 0;
  for (OperationResult& op : r->operations) {
    if (op.statements_measured) counted += op.statements;
    else if (op.calls > 0) unknown.push_back(&op);
  }
  if (unknown.empty()) return;
  std::string why = WhyNot(unknown, injector_ran, r->server);
  if (why.empty() && static_cast<std::uint64_t>(r->server.statements_delta) < counted) {
    why = "the driver does not report them, and the server counted fewer statements than the other operations sent";
  }
  if (!why.empty()) {
    for (OperationResult* op : unknown) op->statements_missing = why;
    return;
  }
  OperationResult& op = *unknown.front();
  op.statements = static_cast<std::uint64_t>(r->server.statements_delta) - counted;
  op.statements_measured = true;
  op.statements_source = "server";
  op.statements_missing.clear();
}

}  // namespace ledgerstress
