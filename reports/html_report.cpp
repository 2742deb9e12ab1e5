#include "reports/html_report.h"

#include "reports/explore_report.h"
#include "reports/shard_report.h"

#include <cstdio>
#include <vector>

#include "reports/close_table.h"
#include "reports/json_report.h"
#include "model/metrics.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

const char kStyle[] = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{padding:20px 32px;color:#fff}
header.pass{background:#1f7a45} header.fail{background:#b3261e} header.error,header.interrupted{background:#9a6700}
header h1{margin:0 0 4px;font-size:22px} header p{margin:0;opacity:.9}
main{padding:16px 32px 48px;max-width:1400px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:16px 20px;margin:16px 0}
h2{font-size:18px;margin:0 0 8px} h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;margin:6px 0;font-size:13px} th,td{border-bottom:1px solid #e6e8eb;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f0f2f5} td.n{text-align:right;font-variant-numeric:tabular-nums}
.v{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;color:#fff}
.v.pass,.v.caught,.v.held{background:#1f7a45} .v.fail,.v.violated{background:#b3261e} .v.error,.v.interrupted,.v.skipped{background:#9a6700}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.chart{position:relative;height:260px} pre{white-space:pre-wrap;font-size:12px;background:#f6f8fa;padding:8px}
.muted{color:#5f6b7a} details{margin:6px 0}
)CSS";

// The chart code: reads the embedded report and draws with Chart.js. It
// only ever puts data into text nodes and chart labels, never into HTML.
const char kScript[] = R"JS(
(function(){
  var data = JSON.parse(document.getElementById('ls-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  function canvas(id){ var c = document.getElementById(id); return c ? c.getContext('2d') : null; }
  function line(id, labels, sets, y2){
    var ctx = canvas(id); if (!ctx) return;
    var scales = {x:{title:{display:true,text:'seconds'}}, y:{beginAtZero:true}};
    if (y2) scales.y2 = {beginAtZero:true, position:'right', grid:{drawOnChartArea:false}};
    new Chart(ctx, {type:'line', data:{labels:labels, datasets:sets}, options:{scales:scales, elements:{point:{radius:0}}}});
  }
  function bar(id, labels, values, color){
    var ctx = canvas(id); if (!ctx) return;
    new Chart(ctx, {type:'bar', data:{labels:labels, datasets:[{label:id.replace('ls-strat-',''), data:values,
      backgroundColor:color}]}, options:{plugins:{legend:{display:false}}, scales:{y:{type:'logarithmic'}}}});
  }
  // The background p99 of a close case: its worst user operation, from the intended start under a rate.
  function userP99(c){
    var w = null;
    c.operations.forEach(function(op){
      if (op.name === 'close_project_success' || !op.calls) return;
      var p = (op.latency_corrected || op.latency).p99_ms;
      if (w === null || p > w) w = p;
    });
    return w;
  }
  var closes = data.cases.filter(function(c){ return c.close; });
  var names = closes.map(function(c){ return c.name; });
  bar('ls-strat-close', names, closes.map(function(c){ return c.close.phase_s; }), '#1a73e8');
  bar('ls-strat-locked', names, closes.map(function(c){
    return c.server && c.server.max_escrow_rows_locked >= 0 ? c.server.max_escrow_rows_locked : null; }), '#b3261e');
  bar('ls-strat-p99', names, closes.map(userP99), '#e37400');
  data.cases.forEach(function(c, i){
    c.operations.forEach(function(op, j){
      var rows = op.series ? op.series.rows : [];
      if (rows.length > 1) {
        line('ls-time-'+i+'-'+j, rows.map(function(r){return r[0];}), [
          {label:'calls/s', data:rows.map(function(r){return r[1];}), borderColor:'#1a73e8', yAxisID:'y'},
          {label:'errors/s', data:rows.map(function(r){return r[2];}), borderColor:'#b3261e', yAxisID:'y'},
          {label:'p99 ms', data:rows.map(function(r){return r[4];}), borderColor:'#e37400', yAxisID:'y2'},
          {label:'p50 ms', data:rows.map(function(r){return r[3];}), borderColor:'#8e24aa', yAxisID:'y2'}], true);
      }
      var b = op.latency.histogram.buckets;
      if (b.length) {
        // Regroup the fine buckets into at most ~40 logarithmic bins.
        var lo = Math.log10(Math.max(b[0][0], 1e-6)), hi = Math.log10(b[b.length-1][0]);
        var n = Math.max(1, Math.min(40, b.length)), w = Math.max((hi - lo) / n, 1e-9);
        var counts = new Array(n).fill(0), labels = [];
        b.forEach(function(x){ var k = Math.min(n-1, Math.floor((Math.log10(Math.max(x[0],1e-6)) - lo) / w)); counts[k] += x[1]; });
        for (var k = 0; k < n; k++) labels.push('≤ ' + Math.pow(10, lo + (k+1)*w).toPrecision(3) + ' ms');
        var ctx = canvas('ls-hist-'+i+'-'+j);
        if (ctx) new Chart(ctx, {type:'bar', data:{labels:labels, datasets:[{label:'calls', data:counts, backgroundColor:'#1a73e8'}]},
                                  options:{scales:{y:{type:'logarithmic'}}}});
      }
    });
    if (c.server && c.server.series && c.server.series.rows.length) {
      var s = c.server.series.rows;
      line('ls-locks-'+i, s.map(function(r){return r[0].toFixed(2);}), [
        {label:'escrow rows locked', data:s.map(function(r){return r[1];}), borderColor:'#b3261e', yAxisID:'y'},
        {label:'wallet rows locked', data:s.map(function(r){return r[2];}), borderColor:'#e37400', yAxisID:'y2'},
        {label:'lock waiters', data:s.map(function(r){return r[3];}), borderColor:'#1a73e8', yAxisID:'y2'}], true);
    }
  });
  document.body.setAttribute('data-charts-drawn', Object.keys(Chart.instances).length);
})();
)JS";

std::string E(const std::string& s) { return HtmlEscape(s); }

// The close cases side by side: the table, and with two or more, one bar
// chart per figure (close time, rows locked at once, background p99).
std::string CloseStrategies(const RunResult& run) {
  const TextTable t = CloseTable(run);
  if (t.rows.empty()) return "";
  std::string h = "<h3>Close strategies side by side</h3>" + HtmlTable(t);
  bool open = false, locked = false;
  for (const CaseResult& c : run.cases) {
    if (c.closes.empty()) continue;
    open = open || c.arrivals.rate_per_s > 0;
    locked = locked || c.server.max_escrow_rows_locked >= 0;
  }
  if (open) h += "<p class=muted>* p99 from each call's intended start (the case has an arrival_rate)</p>";
  if (t.rows.size() < 3) return h;  // one close: nothing to compare
  h += "<div class=charts><div><h3>close time (s, log scale)</h3><div class=chart><canvas id=\"ls-strat-close\">"
       "</canvas></div></div>";
  if (locked) {
    h += "<div><h3>escrow rows locked at once (sampled, log scale)</h3><div class=chart><canvas "
         "id=\"ls-strat-locked\"></canvas></div></div>";
  }
  return h + "<div><h3>background p99 during the close (ms, log scale)</h3><div class=chart><canvas "
             "id=\"ls-strat-p99\"></canvas></div></div></div>";
}
std::string Badge(const std::string& v) { return "<span class=\"v " + E(v) + "\">" + E(v) + "</span>"; }

std::string SummarySection(const RunResult& run) {
  std::string h = "<section><h2>Cases</h2><table><tr><th>case</th><th>expect</th><th>verdict</th><th>calls</th>"
                  "<th>errors</th><th>p50 ms</th><th>p99 ms</th><th>why</th></tr>";
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const CaseResult& c = run.cases[i];
    const CaseTotals t = TotalsOf(c);
    const std::string name = c.repetitions > 1 ? c.name + " #" + std::to_string(c.repetition) : c.name;
    h += "<tr><td><a href=\"#case-" + std::to_string(i) + "\">" + E(name) + "</a></td><td>" + E(c.expect) +
         "</td><td>" + Badge(VerdictName(c.verdict)) + "</td><td class=n>" + std::to_string(t.calls) + "</td><td class=n>" +
         std::to_string(t.errors) + "</td><td class=n>" + Fmt("%.2f", t.p50_ms) + "</td><td class=n>" +
         Fmt("%.2f", t.p99_ms) +
         "</td><td>" + E(c.verdict_reason) + "</td></tr>";
  }
  h += "</table>";
  return h + CloseStrategies(run) + "</section>";
}

// "1 × 4950, 2 × 11" (calls by attempts), "" when nothing was retried.
std::string Attempts(const OperationResult& op) {
  std::string out;
  for (const auto& [n, calls] : op.attempts) {
    if (n > 0) out += (out.empty() ? "" : ", ") + std::to_string(n) + " × " + std::to_string(calls);
  }
  std::string failed;
  for (const auto& [kind, n] : op.failed_attempts) failed += (failed.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  if (!failed.empty()) out += "; failed attempts: " + failed;
  if (op.sleeps_in_transaction) out += "; " + std::to_string(op.sleeps_in_transaction) + " sleep(s) in a transaction";
  return out;
}

std::string Backoffs(const OperationResult& op) {
  std::string out;
  for (const std::string& b : op.backoff_samples) out += (out.empty() ? "" : " | ") + b;
  return out;
}

// The count, marked when the server counted it; a dash with the reason when nobody could.
std::string StatementsCell(const OperationResult& op) {
  if (!op.statements_measured) return "<span title=\"" + E(op.statements_missing) + "\">&mdash;</span>";
  if (op.statements_source != "server") return std::to_string(op.statements);
  return "<span title=\"counted by the server (pg_stat_statements): the case's count minus the other "
         "operations'\">" + std::to_string(op.statements) + " <small>server</small></span>";
}

// The open model's columns: latency from the intended start.
std::string CorrectedCells(const OperationResult& op, bool open) {
  if (!open) return "";
  if (!op.open_model) return "<td class=n>&mdash;</td><td class=n>&mdash;</td>";
  return "<td class=n>" + Fmt("%.2f", op.latency_corrected.p50_ms) + "</td><td class=n>" +
         Fmt("%.2f", op.latency_corrected.p99_ms) + "</td>";
}

std::string OperationsTable(const CaseResult& c) {
  const bool open = c.arrivals.rate_per_s > 0;
  std::string h = "<table><tr><th>operation</th><th>strategy</th><th>calls</th><th>outcomes</th><th>p50</th>"
                  "<th>p90</th><th>p99</th><th>max ms</th>" +
                  std::string(open ? "<th title=\"latency from each call's intended start (the arrival schedule), "
                                     "which includes the wait for a free worker\">corrected p50</th>"
                                     "<th>corrected p99</th>"
                                   : "") +
                  "<th>statements</th><th>attempts</th><th>observed backoffs</th></tr>";
  for (const OperationResult& op : c.operations) {
    std::string outcomes;
    for (const auto& [k, n] : op.outcomes) outcomes += (outcomes.empty() ? "" : ", ") + k + " " + std::to_string(n);
    h += "<tr><td>" + E(op.name) + "</td><td>" + E(op.strategy) + "</td><td class=n>" + std::to_string(op.calls) +
         "</td><td>" + E(outcomes) + "</td><td class=n>" + Fmt("%.2f", op.latency.p50_ms) + "</td><td class=n>" +
         Fmt("%.2f", op.latency.p90_ms) + "</td><td class=n>" + Fmt("%.2f", op.latency.p99_ms) +
         "</td><td class=n>" + Fmt("%.2f", op.latency.max_ms) + "</td>" + CorrectedCells(op, open) +
         "<td class=n>" + StatementsCell(op) +
         "</td><td>" + E(Attempts(op)) + "</td><td>" + E(Backoffs(op)) + "</td></tr>";
  }
  h += "</table>";
  for (const OperationResult& op : c.operations) {
    for (const std::string& s : op.error_samples) h += "<div class=muted>" + E(op.name) + ": " + E(s) + "</div>";
  }
  return h;
}

std::string InvariantsTable(const CaseResult& c) {
  std::string h = "<table><tr><th>invariant / check</th><th>status</th><th>finding</th></tr>";
  for (const InvariantResult& inv : c.invariants) {
    h += "<tr><td>" + E(inv.name) + "</td><td>" + Badge(inv.status) + "</td><td>" + E(inv.message);
    if (!inv.samples.empty()) {
      h += "<details><summary>" + std::to_string(inv.samples.size()) + " sample row(s)</summary><table><tr>";
      for (const std::string& col : inv.sample_columns) h += "<th>" + E(col) + "</th>";
      h += "</tr>";
      for (const auto& row : inv.samples) {
        h += "<tr>";
        for (const std::string& cell : row) h += "<td>" + E(cell) + "</td>";
        h += "</tr>";
      }
      h += "</table></details>";
    }
    h += "</td></tr>";
  }
  for (const CheckResult& ch : c.checks) {
    h += "<tr><td>" + E(ch.name) + "</td><td>" + Badge(ch.passed ? "held" : "violated") + "</td><td>" +
         E(ch.message) + "</td></tr>";
  }
  return h + "</table>";
}

// What was injected, in one sentence: only the faults the case asked for.
std::string FaultsLine(const CaseResult& c) {
  std::vector<std::string> parts;
  const FaultReport& f = c.faults;
  if (f.deadlock_injection) {
    parts.push_back(std::to_string(f.deadlocks_injected) + " deadlock(s) injected (server counted " +
                    std::to_string(c.server.deadlocks_delta) + ")");
  }
  for (const FaultFigure& figure : f.figures) {
    if (!figure.text.empty()) parts.push_back(figure.text);
  }
  if (!f.missing.empty()) parts.push_back(f.missing);
  if (!f.note.empty()) parts.push_back(f.note);
  std::string line;
  for (const std::string& p : parts) line += (line.empty() ? "" : "; ") + p;
  return line;
}

std::string CaseSection(const CaseResult& c, std::size_t i, const RunResult& run) {
  const std::string n = std::to_string(i);
  std::string h = "<section id=\"case-" + n + "\"><h2>" + E(c.name) + " " + Badge(VerdictName(c.verdict)) + "</h2>";
  if (!c.description.empty()) h += "<p class=muted>" + E(c.description) + "</p>";
  if (!c.driver.empty()) h += "<p><b>code under test:</b> driver " + E(c.driver) + "</p>";
  h += "<p>" + E(c.verdict_reason) + "</p>";
  if (!c.error.empty()) h += "<p><b>error:</b> " + E(c.error) + "</p>";
  if (c.faults.Any()) h += "<p><b>faults:</b> " + E(FaultsLine(c)) + "</p>";
  if (c.arrivals.rate_per_s > 0) h += "<p><b>arrivals:</b> " + E(ArrivalsLine(c)) + "</p>";
  h += "<h3>Operations</h3>" + OperationsTable(c) + "<div class=charts>";
  std::string too_short;  // operations whose calls fit in one second: no time series to draw
  for (std::size_t j = 0; j < c.operations.size(); ++j) {
    const OperationResult& op = c.operations[j];
    if (op.calls < 2) continue;  // one call makes no chart
    const std::string id = n + "-" + std::to_string(j);
    const std::string name = E(op.name);
    if (op.series.size() > 1) {
      h += "<div><h3>" + name + ": throughput and latency over time</h3><div class=chart><canvas id=\"ls-time-" + id +
           "\"></canvas></div></div>";
    } else {
      too_short += (too_short.empty() ? "" : ", ") + op.name;
    }
    h += "<div><h3>" + name + ": latency histogram</h3><div class=chart><canvas id=\"ls-hist-" + id +
         "\"></canvas></div></div>";
  }
  if (c.server.series.size() > 1) {
    h += "<div><h3>Rows locked and lock waiters over time</h3><div class=chart><canvas id=\"ls-locks-" + n +
         "\"></canvas></div></div>";
  }
  h += "</div>";
  if (!too_short.empty()) {
    h += "<p class=muted>no time series for " + E(too_short) +
         ": the calls fit in one second (the series has a point per second)</p>";
  }
  if (!c.server.missing.empty()) h += "<p class=muted>not measured: " + E(c.server.missing) + "</p>";
  if (!c.shards.empty()) h += "<p>" + E(ShardsText(c)) + "</p>";
  if (c.release_skew.rounds) h += "<p class=muted>" + E(ReleaseSkewText(c)) + "</p>";
  h += ExploreHtml(c, run);
  h += "<h3>Invariants and checks</h3>" + InvariantsTable(c);
  h += "<details><summary>settings (schema " + E(c.schema) + ", seed " + std::to_string(c.seed) + ")</summary><table>";
  for (const auto& [k, v] : c.settings) h += "<tr><td>" + E(k) + "</td><td>" + E(v) + "</td></tr>";
  return h + "</table></details></section>";
}

std::string MetadataSection(const RunResult& r) {
  std::string h = "<section><h2>Run</h2><table>";
  auto row = [&](const std::string& k, const std::string& v) { h += "<tr><th>" + E(k) + "</th><td>" + E(v) + "</td></tr>"; };
  row("run id", r.run_id);
  row("scenario", r.scenario_name + " (" + r.scenario_path + ")");
  row("seed", std::to_string(r.seed) + "  (replay: --seed " + std::to_string(r.seed) + ")");
  row("started / finished", r.started_at + " / " + r.finished_at);
  row("command", r.command_line);
  row("ledgerstress", r.tool_version + ", git " + r.git_commit);
  row("server", r.server_version);
  row("server chosen by", r.target_source + ": " + r.target_display);
  for (const auto& [k, v] : r.server_settings) row("  " + k, v);
  row("host", r.host_name + ", " + std::to_string(r.host_cores) + " cores, " +
                  Fmt("%.1f", static_cast<double>(r.host_memory_bytes) / (1 << 30)) + " GiB, " + r.host_os);
  row("harness peak RSS", Fmt("%.1f MiB", static_cast<double>(r.peak_rss_bytes) / (1 << 20)));
  row("harness CPU", Fmt("%.2f s", r.harness_cpu_seconds));
  return h + "</table></section>";
}

}  // namespace

std::string RenderHtmlReport(const RunResult& run) {
  int passed = 0, caught = 0, failed = 0;
  for (const CaseResult& c : run.cases) {
    if (c.verdict == Verdict::kPass) ++passed;
    else if (c.verdict == Verdict::kCaught) ++caught;
    else ++failed;
  }
  std::string h = "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>ledgerstress: " +
                  E(run.scenario_name) + " " + E(VerdictName(run.verdict)) + "</title><style>" + kStyle + "</style></head><body>";
  h += "<header class=\"" + E(VerdictName(run.verdict)) + "\"><h1>" + E(run.scenario_name) + ": " + E(VerdictName(run.verdict)) + "</h1><p>" +
       std::to_string(passed) + " passed, " + std::to_string(caught) + " known-bad caught, " +
       std::to_string(failed) + " failed or not run · seed " + std::to_string(run.seed) + " · " + E(run.started_at) +
       "</p>";
  if (!run.error.empty()) h += "<p>error: " + E(run.error) + "</p>";
  h += "</header><main>" + SummarySection(run);
  for (std::size_t i = 0; i < run.cases.size(); ++i) h += CaseSection(run.cases[i], i, run);
  h += MetadataSection(run) + "</main>";
  h += "<script id=\"ls-data\" type=\"application/json\">" + JsonForScript(ReportToJson(run).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) + "</script>";
  h += std::string("<script>") + kChartJs + "</script><script>" + kScript + "</script></body></html>\n";
  return h;
}

}  // namespace ledgerstress
