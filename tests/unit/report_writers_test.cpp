// The report writers on a hand-made run: escaping, structure, verdict mapping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"
#include "model/text.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunResult SampleRun() {
  RunResult r;
  r.scenario_name = "<script>alert(1)</script>";
  r.verdict = Verdict::kFail;
  r.run_id = "20261129t000000_abcd";
  CaseResult bad;
  bad.name = "case \"<b>&</b>\"";
  bad.expect = "pass";
  bad.verdict = Verdict::kFail;
  bad.verdict_reason = "violated: one_wallet_per_user";
  OperationResult op;
  op.name = "saka_get_or_create_wallet";
  op.calls = 10;
  op.outcomes["ok"] = 10;
  op.latency.buckets = {{0.5, 4}, {1.5, 6}};
  op.series = {SeriesPoint{0, 10, 0, 0.5, 1.5}};
  bad.operations.push_back(op);
  InvariantResult inv;
  inv.name = "one_wallet_per_user";
  inv.status = "violated";
  inv.message = "1 user(s) own several wallets";
  inv.violations = 1;
  inv.sample_columns = {"user_id", "note"};
  inv.samples = {{"7", std::string("</script><img src=x onerror=alert(2)>\x01\x02 bad\xff byte")}};
  bad.invariants.push_back(inv);
  bad.checks.push_back(CheckResult{"error_rate", true, "0 of 10 calls failed"});
  CaseResult caught = bad;
  caught.name = "known-bad";
  caught.expect = "violation";
  caught.violates = {"one_wallet_per_user"};
  caught.verdict = Verdict::kCaught;
  r.cases = {bad, caught};
  return r;
}

TEST(HtmlReport, EscapesEverythingUserSuppliedAndKeepsTheScriptClosed) {
  const std::string html = RenderHtmlReport(SampleRun());
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, HasSubstr("case &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;"));
  // The embedded JSON cannot close its <script>: '<' is written \u003c.
  const auto begin = html.find("<script id=\"ls-data\"");
  ASSERT_NE(begin, std::string::npos);
  const auto end = html.find("</script>", begin);
  const std::string json = html.substr(begin, end - begin);
  EXPECT_THAT(json, HasSubstr("\\u003c/script\\u003e"));
  EXPECT_THAT(html, HasSubstr("Chart.js v3"));  // the chart library is inlined, no network
  EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
}

TEST(JunitReport, MapsVerdictsToFailuresAndDropsForbiddenCharacters) {
  const std::string xml = RenderJunitReport(SampleRun());
  EXPECT_THAT(xml, HasSubstr("tests=\"4\" failures=\"1\" errors=\"0\""));
  EXPECT_THAT(xml, HasSubstr("classname=\"&lt;script&gt;alert(1)&lt;/script&gt;/case &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"1 user(s) own several wallets\">"));
  EXPECT_THAT(xml, HasSubstr("expected violation detected"));
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\xff'), std::string::npos);
}

TEST(FileSafe, KeepsNamesFilesCanHoldAndNeverStartsWithADot) {
  EXPECT_EQ(FileSafe("close_5000-v1.2"), "close_5000-v1.2");
  EXPECT_EQ(FileSafe("my scenario/x"), "my_scenario_x");
  EXPECT_EQ(FileSafe(".hidden"), "scenario.hidden");
  EXPECT_EQ(FileSafe(""), "scenario");
}

TEST(XmlEscape, KeepsValidUtf8AndDropsWhatXmlForbids) {
  EXPECT_EQ(XmlEscape("caf\xc3\xa9 \x01<>"), "caf\xc3\xa9 &lt;&gt;");
  EXPECT_EQ(XmlEscape("\xc3"), "");  // truncated sequence
  EXPECT_EQ(XmlEscape("tab\there"), "tab\there");
}

TEST(MarkdownReport, ListsFailuresAndStaysUnderItsLimit) {
  const std::string md = RenderMarkdownReport(SampleRun());
  EXPECT_THAT(md, HasSubstr("| known-bad | violation | ✅ caught |"));
  EXPECT_THAT(md, HasSubstr("### ❌ case"));
  EXPECT_THAT(md, Not(HasSubstr("<script>")));
  const std::string small = RenderMarkdownReport(SampleRun(), 400);
  EXPECT_LE(small.size(), 600u);
  EXPECT_THAT(small, HasSubstr("details cut"));
}

TEST(JsonReport, CarriesTheSchemaVersionAndSeries) {
  const auto j = ReportToJson(SampleRun());
  EXPECT_EQ(j["schema"], "ledgerstress.report/1");
  EXPECT_EQ(j["cases"][0]["operations"][0]["series"]["rows"][0][1], 10);
}

// A fault's figures reach every writer without a line of its own there:
// what a fault added later needs of the reports.
TEST(FaultFigures, AFaultsOwnFiguresReachTheJsonAndTheHtmlLine) {
  RunResult run = SampleRun();
  FaultReport& f = run.cases[0].faults;
  EXPECT_FALSE(f.Any());
  f.Set("widgets_jammed", 3, "3 widget(s) jammed");
  f.Set("longest_jam_s", 0.25);  // JSON only
  f.Set("widgets_jammed", 4, "4 widget(s) jammed");  // replaces
  EXPECT_TRUE(f.Any());
  EXPECT_EQ(f.Figure("widgets_jammed"), 4);
  EXPECT_EQ(f.Figure("backends_killed"), -1) << "a fault that was off";
  const auto j = ReportToJson(run)["cases"][0]["faults"];
  EXPECT_TRUE(j["widgets_jammed"].is_number_integer()) << j;
  EXPECT_EQ(j["widgets_jammed"], 4);
  EXPECT_EQ(j["longest_jam_s"], 0.25);
  EXPECT_EQ(j["deadlocks_injected"], 0) << "the report's own keys are always there: " << j;
  const std::string html = RenderHtmlReport(run);
  EXPECT_THAT(html, ::testing::HasSubstr("<b>faults:</b> 4 widget(s) jammed</p>"));  // a figure with no text: JSON only
}

}  // namespace
}  // namespace ledgerstress
