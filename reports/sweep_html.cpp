#include "reports/html_report.h"
#include "reports/sweep_report.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

const char kStyle[] = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{padding:20px 32px;color:#fff;background:#1f4e9a} header.none{background:#9a6700}
header h1{margin:0 0 4px;font-size:22px} header p{margin:4px 0;opacity:.95}
main{padding:16px 32px 48px;max-width:1400px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:16px 20px;margin:16px 0}
h2{font-size:18px;margin:0 0 8px}
pre{white-space:pre;overflow-x:auto;font-size:12px;background:#f6f8fa;padding:8px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.chart{position:relative;height:280px} .muted{color:#5f6b7a} li{margin:2px 0}
)CSS";

// Draws one chart per figure against the first varied key; one line per case
// and per combination of the other keys. Data only goes into chart labels.
const char kScript[] = R"JS(
(function(){
  var s = JSON.parse(document.getElementById('ls-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var key = s.keys[0], xs = [], series = {};
  s.points.forEach(function(p){
    var x = p.settings[key];
    if (xs.indexOf(x) < 0) xs.push(x);
    var rest = s.keys.slice(1).map(function(k){ return k + '=' + p.settings[k]; }).join(', ');
    p.cases.forEach(function(c){
      var name = c.name + (c.expect === 'violation' ? ' (known-bad)' : '') + (rest ? ' (' + rest + ')' : '');
      (series[name] = series[name] || {}).name = name;
      series[name][x] = c;
    });
  });
  var colors = ['#1a73e8','#b3261e','#1f7a45','#e37400','#8e24aa','#00838f','#5d4037','#c2185b'];
  function worst(c){ var w = null; for (var k in c.user_p99_ms) if (w === null || c.user_p99_ms[k] > w) w = c.user_p99_ms[k]; return w; }
  function chart(id, label, pick, extra){
    var el = document.getElementById(id); if (!el) return;
    var sets = Object.keys(series).map(function(n, i){
      return {label: n, borderColor: colors[i % colors.length], backgroundColor: colors[i % colors.length],
              data: xs.map(function(x){ var c = series[n][x]; return c ? pick(c) : null; }), spanGaps: true};
    });
    if (extra) sets.push(extra);
    // A numeric key spread over a decade or more (batch sizes) on a log axis.
    var nums = xs.map(Number), numeric = nums.every(function(v){ return isFinite(v) && v > 0; });
    var spread = numeric && Math.max.apply(null, nums) >= 10 * Math.min.apply(null, nums);
    if (numeric) sets.forEach(function(d){ d.data = d.data.map(function(y, k){ return {x: nums[k], y: y}; }); });
    document.body.setAttribute('data-x-axis', numeric ? (spread ? 'logarithmic' : 'linear') : 'category');
    var x = numeric ? {type: spread ? 'logarithmic' : 'linear', title:{display:true,text:key + (spread ? ' (log scale)' : '')}}
                    : {title:{display:true,text:key}};
    new Chart(el.getContext('2d'), {type:'line', data:{labels: numeric ? undefined : xs, datasets: sets},
      options:{scales:{x:x, y:{beginAtZero:true, title:{display:true,text:label}}}}});
  }
  var close = s.points.some(function(p){ return p.cases.some(function(c){ return c.has_close; }); });
  if (close) chart('ls-close', 'close seconds', function(c){ return c.has_close ? c.close_seconds : null; });
  else chart('ls-close', 'calls per second', function(c){ return c.throughput_per_s; });
  var corrected = s.recommendation && s.recommendation.p99_used === 'corrected';
  chart('ls-p99', 'worst concurrent user p99 (ms' + (corrected ? ', from the intended start' : '') + ')', worst,
        {label:'budget', data: xs.map(function(){ return s.p99_budget_ms; }), borderColor:'#9aa0a6', borderDash:[6,4], pointRadius:0});
  if (close) {
    chart('ls-stmts', 'statements of the close', function(c){ return c.has_close ? c.statements : null; });
    chart('ls-locked', 'max escrow rows locked (sampled)', function(c){ return c.max_escrow_rows_locked >= 0 ? c.max_escrow_rows_locked : null; });
  }
  document.body.setAttribute('data-charts-drawn', Object.keys(Chart.instances).length);
})();
)JS";

std::string E(const std::string& s) { return HtmlEscape(s); }

// The charts the sweep has data for: no empty boxes (statements and rows
// locked only for a close, and only when measured).
std::vector<const char*> ChartIds(const SweepResult& s) {
  bool close = false, statements = false, locked = false;
  for (const SweepPoint& p : s.points) {
    for (const SweepCaseFigures& f : p.cases) {
      close = close || f.has_close;
      statements = statements || (f.has_close && f.statements >= 0);
      locked = locked || (f.has_close && f.max_escrow_rows_locked >= 0);
    }
  }
  std::vector<const char*> ids = {"ls-close", "ls-p99"};
  if (statements) ids.push_back("ls-stmts");
  if (locked) ids.push_back("ls-locked");
  return ids;
}

}  // namespace

std::string RenderSweepHtml(const SweepResult& s) {
  const SweepRecommendation& r = s.recommendation;
  std::string keys;
  for (const std::string& k : s.keys) keys += (keys.empty() ? "" : " × ") + k;
  std::string h = "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>ledgerstress sweep: " +
                  E(s.scenario_name) + " " + E(keys) + "</title><style>" + kStyle + "</style></head><body>";
  h += std::string("<header class=\"") + (r.made ? "made" : "none") + "\"><h1>sweep of " + E(s.scenario_name) +
       ": " + E(keys) + "</h1>";
  h += "<p><strong>" + E(r.made ? "recommendation: " + r.reason : r.reason) + "</strong></p>";
  h += "<p>" + E(std::to_string(s.points.size()) + " values × " + std::to_string(s.swept_cases.size()) +
                 " case(s), " + std::to_string(s.repeat) + " repetition(s) each · verdict " + VerdictName(s.verdict) + " · " +
                 s.started_at + (s.error.empty() ? "" : " · error: " + s.error)) +
       "</p></header><main>";
  h += "<section><h2>Recommendation</h2><p>" + E(r.made ? r.reason : r.reason) + "</p>";
  if (!r.notes.empty()) {
    h += "<ul>";
    for (const std::string& n : r.notes) h += "<li>" + E(n) + "</li>";
    h += "</ul>";
  }
  h += "<p class=muted>rule: " + E(r.rule) + "</p></section>";
  h += "<section><h2>Curves</h2><div class=charts>";
  for (const char* id : ChartIds(s)) h += std::string("<div class=chart><canvas id=\"") + id + "\"></canvas></div>";
  h += "</div><p class=muted>rows locked are the monitor's samples (every 10 ms): a short peak can be missed; "
       "bench/close_bench measures the exact figure.</p></section>";
  h += "<section><h2>Table</h2>" + HtmlTable(SweepTable(s));
  if (s.recommendation.p99_used == "corrected") {
    h += "<p class=muted>* p99 from each call's intended start (the case has an arrival_rate)</p>";
  }
  for (const auto& [name, why] : s.skipped_cases) h += "<p class=muted>not swept: " + E(name) + " (" + E(why) + ")</p>";
  h += "</section>";
  h += "<section><h2>Run</h2><p class=muted>" +
       E("seed " + std::to_string(s.seed) + " · server " + s.server_version + " (" + s.target_source + ", " +
         s.target_display + ") · host " + s.host_name + ", " + std::to_string(s.host_cores) + " cores · ledgerstress " +
         s.tool_version + " " + s.git_commit + " · " + s.command_line) +
       "</p></section></main>";
  h += "<script id=\"ls-data\" type=\"application/json\">" +
       JsonForScript(SweepToJson(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) + "</script>";
  h += std::string("<script>") + kChartJs + "</script><script>" + kScript + "</script></body></html>\n";
  return h;
}

}  // namespace ledgerstress
