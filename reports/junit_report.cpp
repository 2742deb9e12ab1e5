#include "reports/junit_report.h"

#include "reports/explore_report.h"

#include <algorithm>
#include <vector>

#include "model/text.h"

namespace ledgerstress {
namespace {

struct TestCase {
  std::string name;
  std::string kind;  // "", "failure", "error", "skipped"
  std::string message;
  std::string detail;
};

std::vector<TestCase> TestCasesOf(const CaseResult& c, const RunResult& run) {
  std::vector<TestCase> out;
  if (c.verdict == Verdict::kSkipped || (c.verdict == Verdict::kInterrupted && c.invariants.empty())) {
    out.push_back({"case", "skipped", c.verdict_reason, ""});
    return out;
  }
  if (c.verdict == Verdict::kError && c.invariants.empty()) {
    out.push_back({"case", "error", c.error.empty() ? c.verdict_reason : c.error, c.verdict_reason});
    return out;
  }
  const bool known_bad = c.expect == "violation";
  for (const InvariantResult& inv : c.invariants) {
    TestCase t{"invariant " + inv.name, "", inv.message, ""};
    for (const auto& row : inv.samples) {
      std::string line;
      for (const std::string& cell : row) line += (line.empty() ? "" : " | ") + cell;
      t.detail += line + "\n";
    }
    const bool named = std::find(c.violates.begin(), c.violates.end(), inv.name) != c.violates.end();
    if (inv.status == "error") {
      t.kind = "error";
    } else if (!known_bad && inv.status == "violated") {
      t.kind = "failure";
    } else if (known_bad && named && inv.status == "held") {
      t.kind = "failure";
      t.message = "expected a violation of " + inv.name + ", none was detected";
    } else if (known_bad && inv.status == "violated") {
      t.message = "expected violation detected: " + inv.message;
    }
    if (inv.status == "violated") t.detail += ExploreText(c, run);
    out.push_back(t);
  }
  for (const CheckResult& ch : c.checks) {
    TestCase t{ch.name, "", ch.message, ""};
    if (!ch.passed) t.detail += ExploreText(c, run);
    const bool threshold = ch.name.rfind("threshold ", 0) == 0;
    if (!ch.passed && (threshold || !known_bad)) t.kind = "failure";
    out.push_back(t);
  }
  if (c.verdict == Verdict::kFail && known_bad && c.violates.empty() &&
      std::none_of(out.begin(), out.end(), [](const TestCase& t) { return t.kind == "failure"; })) {
    out.push_back({"expected violation", "failure", c.verdict_reason, ""});
  }
  return out;
}

}  // namespace

std::string RenderJunitReport(const RunResult& run) {
  std::string body;
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const CaseResult& c : run.cases) {
    // The code under test is part of the name: the same case through another driver is another test.
    const std::string classname =
        XmlEscape(run.scenario_name + "/" + c.name + (c.driver.empty() ? "" : " [driver " + c.driver + "]"));
    const double seconds = c.setup_seconds + c.run_seconds + c.check_seconds;
    for (const TestCase& t : TestCasesOf(c, run)) {
      ++tests;
      body += "    <testcase classname=\"" + classname + "\" name=\"" + XmlEscape(t.name) + "\" time=\"" +
              Fmt("%.3f", seconds) + "\"";
      if (t.kind.empty()) {
        body += "><system-out>" + XmlEscape(t.message + (t.detail.empty() ? "" : "\n" + t.detail)) + "</system-out></testcase>\n";
        continue;
      }
      if (t.kind == "failure") ++failures;
      if (t.kind == "error") ++errors;
      if (t.kind == "skipped") ++skipped;
      body += "><" + t.kind + " message=\"" + XmlEscape(t.message) + "\">" + XmlEscape(t.message + "\n" + t.detail) +
              "</" + t.kind + "></testcase>\n";
    }
  }
  if (!run.error.empty()) {
    ++tests;
    ++errors;
    body += "    <testcase classname=\"" + XmlEscape(run.scenario_name) + "\" name=\"run\"><error message=\"" +
            XmlEscape(run.error) + "\">" + XmlEscape(run.error) + "</error></testcase>\n";
  }
  const std::string counts = "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
                             "\" errors=\"" + std::to_string(errors) + "\" skipped=\"" + std::to_string(skipped) +
                             "\" time=\"" + Fmt("%.3f", run.duration_seconds) + "\"";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ledgerstress\" " + counts +
         ">\n  <testsuite name=\"" + XmlEscape(run.scenario_name) + "\" " + counts + " timestamp=\"" +
         XmlEscape(run.started_at) + "\" hostname=\"" + XmlEscape(run.host_name) + "\">\n" + body +
         "  </testsuite>\n</testsuites>\n";
}

}  // namespace ledgerstress
