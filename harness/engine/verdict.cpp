#include "harness/engine/verdict.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace ledgerstress {
namespace {

CheckResult ErrorRateCheck(const CaseSpec& spec, const CaseResult& r) {
  std::uint64_t calls = 0, errors = 0;
  for (const OperationResult& op : r.operations) {
    calls += op.calls;
    errors += op.errors();
  }
  const double rate = calls ? static_cast<double>(errors) / static_cast<double>(calls) : 0;
  CheckResult c;
  c.name = "error_rate";
  c.passed = calls > 0 && rate <= spec.max_error_rate;
  char buf[160];
  if (calls == 0) {
    std::snprintf(buf, sizeof buf, "no call completed");
  } else {
    std::snprintf(buf, sizeof buf, "%llu of %llu calls failed (%.2f%%, limit %.2f%%)",
                  static_cast<unsigned long long>(errors), static_cast<unsigned long long>(calls),
                  100 * rate, 100 * spec.max_error_rate);
  }
  c.message = buf;
  return c;
}

}  // namespace

void DecideVerdict(const CaseSpec& spec, CaseResult* r) {
  r->checks.push_back(ErrorRateCheck(spec, *r));
  if (r->verdict == "error" || r->verdict == "interrupted") return;

  std::set<std::string> violated;
  for (const InvariantResult& inv : r->invariants) {
    if (inv.status == "error") {
      r->verdict = "error";
      r->verdict_reason = "invariant " + inv.name + " could not be checked: " + inv.message;
      return;
    }
    if (inv.status == "violated") violated.insert(inv.name);
  }
  std::set<std::string> failed_checks;
  for (const CheckResult& c : r->checks) {
    if (!c.passed) failed_checks.insert(c.name);
  }

  if (spec.expect == Expectation::kPass) {
    if (violated.empty() && failed_checks.empty()) {
      r->verdict = "pass";
      r->verdict_reason = "all invariants held";
    } else {
      r->verdict = "fail";
      std::string what;
      for (const auto& v : violated) what += (what.empty() ? "" : ", ") + v;
      for (const auto& c : failed_checks) what += (what.empty() ? "" : ", ") + c;
      r->verdict_reason = "violated: " + what;
    }
    return;
  }
  std::vector<std::string> missed;
  for (const std::string& v : spec.violates) {
    if (!violated.count(v) && !failed_checks.count(v)) missed.push_back(v);
  }
  const bool any = !violated.empty() || !failed_checks.empty();
  if (any && missed.empty()) {
    r->verdict = "caught";
    std::string what;
    for (const auto& v : violated) what += (what.empty() ? "" : ", ") + v;
    for (const auto& c : failed_checks) what += (what.empty() ? "" : ", ") + c;
    r->verdict_reason = "expected violation detected: " + what;
  } else {
    r->verdict = "fail";
    std::string what;
    for (const auto& m : missed) what += (what.empty() ? "" : ", ") + m;
    r->verdict_reason = any ? "expected violation not detected: " + what
                            : "expected a violation, but every invariant held";
  }
}

}  // namespace ledgerstress
