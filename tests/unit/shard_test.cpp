// The pieces of a sharded run that need no server: the workers' slices,
// the exact merge of latency histograms and operations, a shard's part as
// it travels, the release skew, the offline merge of shard reports, and the
// barrier's AwaitOthers.
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "harness/engine/barrier.h"
#include "harness/engine/op_stats.h"
#include "harness/engine/shard_link.h"
#include "harness/engine/shard_merge.h"
#include "harness/engine/shard_part.h"
#include "harness/engine/shard_report_merge.h"
#include "model/operation_json.h"

namespace ledgerstress {
namespace {

TEST(ShardSlice, EveryWorkerRunsOnExactlyOneShardAndSharesDifferByOne) {
  for (int shards : {1, 2, 3, 4, 7}) {
    for (int workers : {1, 5, 25, 100, 101}) {
      std::vector<int> runs(static_cast<std::size_t>(workers), 0);
      int smallest = workers, largest = 0;
      for (int i = 0; i < shards; ++i) {
        const WorkerSlice s = SliceOf(ShardSpec{i, shards}, workers);
        for (int w = s.first; w < s.end; ++w) ++runs[static_cast<std::size_t>(w)];
        smallest = std::min(smallest, s.size());
        largest = std::max(largest, s.size());
      }
      for (int n : runs) EXPECT_EQ(n, 1) << shards << " shards, " << workers << " workers";
      EXPECT_LE(largest - smallest, 1);
    }
  }
  EXPECT_EQ(SliceOf(ShardSpec{1, 4}, 100).first, 25);
  EXPECT_EQ(SliceOf(ShardSpec{1, 4}, 100).end, 50);
}

// Latencies (ns) with a long tail, from `seed`.
std::vector<std::uint64_t> Latencies(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(14.0, 1.2);  // ~1.2 ms median, tail to ~100 ms
  std::vector<std::uint64_t> v;
  for (int i = 0; i < n; ++i) v.push_back(static_cast<std::uint64_t>(d(rng)));
  return v;
}

Histogram HistogramOfValues(const std::vector<std::uint64_t>& v) {
  Histogram h;
  for (std::uint64_t x : v) h.Record(x);
  return h;
}

TEST(ShardMerge, TheMergedPercentilesAreThoseOfEveryCallNotAnAverage) {
  const auto a = Latencies(1, 5000), b = Latencies(2, 300);
  std::vector<std::uint64_t> all = a;
  std::vector<std::uint64_t> slow;
  for (std::uint64_t x : b) slow.push_back(x * 20);  // a slow shard: its p99 is far above the other's
  all.insert(all.end(), slow.begin(), slow.end());
  const LatencySummary merged = MergeLatency(Summarize(HistogramOfValues(a)), Summarize(HistogramOfValues(slow)));
  const LatencySummary one = Summarize(HistogramOfValues(all));
  EXPECT_EQ(merged.count, one.count);
  EXPECT_EQ(merged.buckets, one.buckets);
  EXPECT_DOUBLE_EQ(merged.min_ms, one.min_ms);
  EXPECT_DOUBLE_EQ(merged.max_ms, one.max_ms);
  EXPECT_DOUBLE_EQ(merged.p50_ms, one.p50_ms);
  EXPECT_DOUBLE_EQ(merged.p90_ms, one.p90_ms);
  EXPECT_DOUBLE_EQ(merged.p99_ms, one.p99_ms);
  EXPECT_DOUBLE_EQ(merged.p999_ms, one.p999_ms);
  EXPECT_NEAR(merged.mean_ms, one.mean_ms, one.mean_ms * 1e-9);
  // What an average of the two p99s would have said is not it.
  const double averaged = (Summarize(HistogramOfValues(a)).p99_ms + Summarize(HistogramOfValues(slow)).p99_ms) / 2;
  EXPECT_GT(std::abs(averaged - one.p99_ms), one.p99_ms * 0.1);
}

TEST(ShardMerge, ARebuiltHistogramAnswersAsTheOriginal) {
  const Histogram h = HistogramOfValues(Latencies(3, 2000));
  const Histogram r = HistogramOf(Summarize(h));
  EXPECT_EQ(r.count(), h.count());
  EXPECT_EQ(r.min(), h.min());
  EXPECT_EQ(r.max(), h.max());
  for (double q : {0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) EXPECT_EQ(r.ValueAtQuantile(q), h.ValueAtQuantile(q)) << q;
  EXPECT_EQ(HistogramOf(LatencySummary{}).count(), 0u);
}

OperationResult Op(const std::string& name, std::uint64_t seed, int calls) {
  OperationResult op;
  op.name = name;
  op.strategy = "s";
  op.latency = Summarize(HistogramOfValues(Latencies(seed, calls)));
  op.calls = op.latency.count;
  op.outcomes["ok"] = op.calls - 1;
  op.outcomes["deadlock"] = 1;
  op.statements = op.calls * 3;
  op.attempts[1] = op.calls;
  op.error_samples = {"deadlock [40P01]: x"};
  op.series = {SeriesPoint{0, op.calls, 1, 1.0, 2.0}};
  return op;
}

TEST(ShardMerge, OperationsAddUpByNameAndAnOperationOnlyOneShardRanIsKept) {
  std::vector<OperationResult> into = {Op("pledge", 1, 100), Op("deposit", 2, 50)};
  AddOperations(&into, {Op("pledge", 3, 40), Op("refund", 4, 7)});
  ASSERT_EQ(into.size(), 3u);
  EXPECT_EQ(into[0].calls, 140u);
  EXPECT_EQ(into[0].Count("deadlock"), 2u);
  EXPECT_EQ(into[0].ok(), 138u);
  EXPECT_EQ(into[0].statements, 420u);
  EXPECT_EQ(into[0].attempts[1], 140u);
  EXPECT_EQ(into[0].latency.count, 140u);
  EXPECT_EQ(into[0].error_samples.size(), 1u);  // the same sample once
  ASSERT_EQ(into[0].series.size(), 1u);
  EXPECT_EQ(into[0].series[0].calls, 140u);
  EXPECT_EQ(into[1].calls, 50u);
  EXPECT_EQ(into[2].name, "refund");
}

TEST(ShardPart, ItsFiguresAndHistoryArriveAsTheyLeft) {
  ShardPart p;
  p.shard = 2;
  p.host = "load-2";
  p.operations = {Op("pledge", 5, 300)};
  p.operations[0].statements_measured = false;
  p.operations[0].statements_missing = "the driver does not report them";
  p.rounds_completed = 3;
  p.workers_seconds = 1.25;
  p.failure = "";
  p.logs.push_back(ClientHistory::Log{"ls_x_1-w50-", {0, 5, 0xFF, 2}, std::string("a\x1f") + "b", {3, 3, 3, 3}});
  p.duplicates.push_back(ClientHistory::Duplicate{"ls_x_1-w50-1", 5, "a"});
  p.returns = {{7, 70}, {8, 80}};
  p.round_spans = {{100, 250}, {1000, 1003}};
  const ShardPart q = DecodeShardPart(EncodeShardPart(p));
  EXPECT_EQ(q.shard, 2);
  EXPECT_EQ(q.host, "load-2");
  ASSERT_EQ(q.operations.size(), 1u);
  EXPECT_EQ(q.operations[0].calls, 300u);
  EXPECT_EQ(q.operations[0].latency.buckets, p.operations[0].latency.buckets);
  EXPECT_FALSE(q.operations[0].statements_measured);
  EXPECT_EQ(q.operations[0].statements_missing, "the driver does not report them");
  EXPECT_EQ(q.rounds_completed, 3);
  EXPECT_DOUBLE_EQ(q.workers_seconds, 1.25);
  ASSERT_EQ(q.logs.size(), 1u);
  EXPECT_EQ(q.logs[0].key_prefix, "ls_x_1-w50-");
  EXPECT_EQ(q.logs[0].calls, p.logs[0].calls);
  EXPECT_EQ(q.logs[0].args, p.logs[0].args);
  EXPECT_EQ(q.logs[0].args_end, p.logs[0].args_end);
  ASSERT_EQ(q.duplicates.size(), 1u);
  EXPECT_EQ(q.duplicates[0].key, "ls_x_1-w50-1");
  EXPECT_EQ(q.returns, p.returns);
  EXPECT_EQ(q.round_spans, p.round_spans);
  EXPECT_THROW(DecodeShardPart("{\"shard\": 1}"), std::runtime_error);
}

TEST(ReleaseSkew, EachRoundsSpanIsWidenedByEveryShardAndSummarized) {
  RoundSpans spans = {{1000000, 1500000}, {5000000, 5100000}};
  AddSpans(&spans, {{900000, 1200000}, {5000000, 7000000}, {9000000, 9000000}});
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0], std::make_pair(std::int64_t{900000}, std::int64_t{1500000}));
  const ReleaseSkew s = SkewOf(spans);
  EXPECT_EQ(s.rounds, 3);
  EXPECT_DOUBLE_EQ(s.p50_ms, 0.6);
  EXPECT_DOUBLE_EQ(s.max_ms, 2.0);
  EXPECT_EQ(SkewOf({}).rounds, 0);
}

// A shard's JSON report as `run --shard i/n` writes it, reduced to what
// merge reads.
nlohmann::json ShardReportJson(int index, int count, const std::string& run, const std::vector<OperationResult>& own) {
  nlohmann::json ops = nlohmann::json::array();
  for (const OperationResult& op : own) ops.push_back(OperationToJson(op));
  nlohmann::json share = {{"index", index}, {"host", "h"}, {"workers", 1}, {"calls", 1}, {"operations", ops}};
  return {{"schema", "ledgerstress.report/1"},
          {"run", {{"id", run}, {"shard", {{"index", index}, {"count", count}}}}},
          {"cases", {{{"name", "c"}, {"repetition", 1}, {"verdict", "pass"}, {"operations", ops},
                      {"shards", {share}}}}}};
}

TEST(ShardReportMerge, EveryShardsShareIsAddedOnShardZerosReport) {
  const std::vector<ShardReport> reports = {{"b.json", ShardReportJson(1, 2, "r", {Op("pledge", 2, 30)})},
                                            {"a.json", ShardReportJson(0, 2, "r", {Op("pledge", 1, 70)})}};
  const nlohmann::json m = MergeShardReports(reports);
  const OperationResult op = OperationFromJson(m["cases"][0]["operations"][0]);
  EXPECT_EQ(op.calls, 100u);
  EXPECT_EQ(op.latency.count, 100u);
  EXPECT_EQ(m["cases"][0]["shards"].size(), 2u);
  EXPECT_EQ(m["run"]["shard"]["merged"], true);
}

TEST(ShardReportMerge, AMissingADoubledOrAnUnshardedReportIsRefusedByName) {
  const auto message = [](const std::vector<ShardReport>& r) {
    try {
      MergeShardReports(r);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("merged");
  };
  const ShardReport s0{"s0.json", ShardReportJson(0, 3, "r", {Op("p", 1, 5)})};
  const ShardReport s1{"s1.json", ShardReportJson(1, 3, "r", {Op("p", 1, 5)})};
  EXPECT_NE(message({s0, s1}).find("shard 2 of 3 of run r: no report given"), std::string::npos) << message({s0, s1});
  EXPECT_NE(message({s0, s1, s1}).find("s1.json: shard 1 is given twice"), std::string::npos);
  nlohmann::json plain = s0.json;
  plain["run"]["shard"] = nullptr;
  EXPECT_NE(message({{"plain.json", plain}}).find("plain.json: not a shard's report"), std::string::npos);
  const ShardReport other{"o.json", ShardReportJson(2, 3, "q", {})};
  EXPECT_NE(message({s0, s1, other}).find("o.json: run q"), std::string::npos);
}

TEST(Barrier, AwaitOthersReturnsOnceEveryOtherPartyWaitsAndTheLastWaitReleasesThem) {
  Barrier b(3);
  std::atomic<int> released{0};
  std::thread t1([&] { released += b.Wait(); });
  std::thread t2([&] { released += b.Wait(); });
  ASSERT_TRUE(b.AwaitOthers());
  EXPECT_EQ(released.load(), 0);  // they wait for the caller
  EXPECT_TRUE(b.Wait());
  t1.join();
  t2.join();
  EXPECT_EQ(released.load(), 2);
  std::thread t3([&] { b.Break(); });
  t3.join();
  EXPECT_FALSE(b.AwaitOthers());
}

}  // namespace
}  // namespace ledgerstress
