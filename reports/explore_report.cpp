#include "reports/explore_report.h"

#include <cctype>
#include <cstring>

#include "model/text.h"

namespace ledgerstress {
namespace {

std::string Count(std::uint64_t n) { return n == UINT64_MAX ? "more than 1.8e19" : std::to_string(n); }

// `w` as one shell word: as it is when nothing in it needs quoting.
std::string ShellWord(const std::string& w) {
  bool plain = !w.empty();
  for (char ch : w) plain = plain && (std::isalnum(static_cast<unsigned char>(ch)) || std::strchr("_./-+:=,@%", ch));
  if (plain) return w;
  std::string q = "'";
  for (char ch : w) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

std::string Replay(const CaseResult& c, const RunResult& run) { return "replay it alone: " + ExploreReplayCommand(c, run); }

}  // namespace

std::string ExploreReplayCommand(const CaseResult& c, const RunResult& run) {
  if (c.explore.counterexample_id < 0) return "";
  const std::string& scenario = run.scenario_path.empty() ? run.scenario_name : run.scenario_path;
  return "ledgerstress run " + ShellWord(scenario) + " --case " + ShellWord(c.name) + " --seed " +
         std::to_string(run.seed) + " --schedule " + std::to_string(c.explore.counterexample_id);
}

std::string ExploreSummary(const ExploreReport& x) {
  std::string s = std::to_string(x.schedules_run) + " schedule(s) run (" + x.mode + ") of the " +
                  Count(x.interleavings) + " interleavings of " + std::to_string(x.sessions) + " sessions (" +
                  std::to_string(x.steps) + " steps); " + std::to_string(x.schedules_failed) + " failed, " + std::to_string(x.schedules_violating) +
                  " broke an invariant, " + std::to_string(x.schedules_blocked) + " had a step wait on a lock";
  for (const auto& [state, n] : x.errors) s += "; SQLSTATE " + state + " in " + std::to_string(n);
  if (!x.guarantee.empty()) s += ". " + x.guarantee;
  return s;
}

nlohmann::json ExploreJson(const ExploreReport& x) {
  nlohmann::json steps = nlohmann::json::array();
  for (const ExploreStep& st : x.counterexample) {
    steps.push_back({{"session", st.session}, {"operation", st.operation}, {"statement", st.statement}, {"result", st.result}});
  }
  return {{"sessions", x.sessions},
          {"steps", x.steps},
          {"mode", x.mode},
          {"interleavings", x.interleavings},
          {"schedules_run", x.schedules_run},
          {"guarantee", x.guarantee},
          {"schedules_failed", x.schedules_failed},
          {"schedules_violating", x.schedules_violating},
          {"schedules_blocked", x.schedules_blocked},
          {"errors", x.errors},
          {"seconds_per_schedule", x.seconds_per_schedule},
          {"counterexample",
           x.counterexample_id < 0 ? nlohmann::json(nullptr)
                                   : nlohmann::json{{"schedule", x.counterexample_id},
                                                    {"order", x.counterexample_order},
                                                    {"context_switches", x.counterexample_switches},
                                                    {"steps", steps},
                                                    {"after", x.counterexample_after},
                                                    {"isolation_spec", x.isolation_spec}}}};
}

std::string ExploreMarkdown(const CaseResult& c, const RunResult& run) {
  const ExploreReport& x = c.explore;
  if (!x.ran) return "";
  std::string md = "\n**explored:** " + MarkdownCell(ExploreSummary(x)) + "\n";
  if (x.counterexample_id < 0) return md;
  md += "\ncounterexample: schedule " + std::to_string(x.counterexample_id) + " (" +
        std::to_string(x.counterexample_switches) + " context switches; " + MarkdownCell(Replay(c, run)) + ")\n\n";
  md += "| # | session | operation | statement | result |\n|--:|--:|---|---|---|\n";
  for (std::size_t i = 0; i < x.counterexample.size(); ++i) {
    const ExploreStep& st = x.counterexample[i];
    md += "| " + std::to_string(i + 1) + " | " + std::to_string(st.session) + " | " + MarkdownCell(st.operation) + " | " +
          MarkdownCell(st.statement) + " | " + MarkdownCell(st.result) + " |\n";
  }
  for (const std::string& a : x.counterexample_after) md += "\n- then: " + MarkdownCell(a);
  return md + "\n";
}

std::string ExploreHtml(const CaseResult& c, const RunResult& run) {
  const ExploreReport& x = c.explore;
  if (!x.ran) return "";
  std::string h = "<h3>Explored schedules</h3><p>" + HtmlEscape(ExploreSummary(x)) + "</p>";
  if (x.counterexample_id < 0) return h;
  h += "<p><b>counterexample:</b> schedule " + std::to_string(x.counterexample_id) + " (" +
       std::to_string(x.counterexample_switches) + " context switches; " + HtmlEscape(Replay(c, run)) + ")</p>";
  h += "<table><tr><th>#</th><th>session</th><th>operation</th><th>statement</th><th>result</th></tr>";
  for (std::size_t i = 0; i < x.counterexample.size(); ++i) {
    const ExploreStep& st = x.counterexample[i];
    h += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + std::to_string(st.session) + "</td><td>" +
         HtmlEscape(st.operation) + "</td><td><code>" + HtmlEscape(st.statement) + "</code></td><td>" +
         HtmlEscape(st.result) + "</td></tr>";
  }
  h += "</table>";
  for (const std::string& a : x.counterexample_after) h += "<p>then: " + HtmlEscape(a) + "</p>";
  if (!x.isolation_spec.empty()) {
    h += "<details><summary>as an isolation tester spec</summary><pre>" + HtmlEscape(x.isolation_spec) + "</pre></details>";
  }
  return h;
}

std::string ExploreText(const CaseResult& c, const RunResult& run) {
  const ExploreReport& x = c.explore;
  if (x.counterexample_id < 0) return "";
  std::string t = "counterexample: schedule " + std::to_string(x.counterexample_id) + " (" + Replay(c, run) + ")\n";
  for (const ExploreStep& st : x.counterexample) {
    t += "  session " + std::to_string(st.session) + ": " + st.statement + "  -> " + st.result + "\n";
  }
  for (const std::string& a : x.counterexample_after) t += "  then " + a + "\n";
  return t;
}

}  // namespace ledgerstress
