#include "reports/markdown_report.h"

#include <algorithm>

#include "reports/close_table.h"
#include "reports/explore_report.h"
#include "reports/shard_report.h"
#include "model/metrics.h"
#include "model/text.h"

namespace ledgerstress {

std::string RenderMarkdownReport(const RunResult& run, std::size_t max_bytes) {
  const char* icon = run.verdict == Verdict::kPass ? "✅" : run.verdict == Verdict::kFail ? "❌" : "⚠️";
  std::string md = std::string("## ") + icon + " ledgerstress `" + MarkdownCell(run.scenario_name) + "`: **" +
                   VerdictName(run.verdict) + "**\n\n";
  // "PostgreSQL 15.20 (Debian ...) on x86_64..." -> "PostgreSQL 15.20".
  const std::string server = run.server_version.substr(0, run.server_version.find(" ("));
  md += "seed " + std::to_string(run.seed) + " · " + MarkdownCell(server) + " · " +
        Fmt("%.1f", run.duration_seconds) + " s · git " + MarkdownCell(run.git_commit) + "\n\n";
  if (!run.error.empty()) md += "**error:** " + MarkdownCell(run.error) + "\n\n";
  md += "| case | expect | verdict | calls | errors | p99 ms | why |\n|---|---|---|--:|--:|--:|---|\n";
  for (const CaseResult& c : run.cases) {
    const CaseTotals t = TotalsOf(c);
    std::string name = c.repetitions > 1 ? c.name + " #" + std::to_string(c.repetition) : c.name;
    if (!c.driver.empty()) name += " (driver " + c.driver + ")";
    md += "| " + MarkdownCell(name) + " | " + c.expect + " | " + (c.GatePassed() ? "✅ " : "❌ ") + VerdictName(c.verdict) +
          " | " + std::to_string(t.calls) + " | " + std::to_string(t.errors) + " | " + (t.timed ? Fmt("%.2f", t.p99_ms) : "-") + " | " +
          MarkdownCell(c.verdict_reason) + " |\n";
  }
  std::string open;
  for (const CaseResult& c : run.cases) {
    if (c.arrivals.rate_per_s > 0) open += "- " + MarkdownCell(c.name) + ": " + MarkdownCell(ArrivalsLine(c)) + "\n";
  }
  if (!open.empty()) md += "\n" + open;
  const std::string closes = RenderCloseTable(run);
  if (!closes.empty()) md += "\n<details><summary>close strategies</summary>\n\n```\n" + closes + "```\n</details>\n";
  std::string details;
  for (const CaseResult& c : run.cases) {
    if (c.GatePassed()) continue;
    details += "\n### ❌ " + MarkdownCell(c.name) + "\n\n";
    for (const InvariantResult& inv : c.invariants) {
      if (inv.status == "held") continue;
      details += "- **" + inv.name + "** " + inv.status + ": " + MarkdownCell(inv.message) + "\n";
      for (std::size_t i = 0; i < std::min<std::size_t>(3, inv.samples.size()); ++i) {
        std::string row;
        for (const std::string& cell : inv.samples[i]) row += (row.empty() ? "" : ", ") + cell;
        details += "  - `" + MarkdownCell(row) + "`\n";
      }
    }
    for (const CheckResult& ch : c.checks) {
      if (!ch.passed) details += "- **" + MarkdownCell(ch.name) + "**: " + MarkdownCell(ch.message) + "\n";
    }
  }
  for (const CaseResult& c : run.cases) {
    if (!c.shards.empty()) details += "\n- **" + MarkdownCell(c.name) + "**: " + MarkdownCell(ShardsText(c)) + "\n";
  }
  for (const CaseResult& c : run.cases) {
    if (c.explore.ran) details += "\n### " + MarkdownCell(c.name) + ": explored\n" + ExploreMarkdown(c, run);
  }
  const std::string cut = "\n\n_(details cut to stay within the summary size limit; see the JSON report)_\n";
  if (md.size() + details.size() > max_bytes) {
    details = details.substr(0, max_bytes > md.size() + cut.size() ? max_bytes - md.size() - cut.size() : 0) + cut;
  }
  return md + details;
}

}  // namespace ledgerstress
