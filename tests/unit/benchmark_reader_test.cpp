// Google Benchmark JSON through `compare`: repetitions become samples,
// units are converted, aggregates skipped, throughput counters are better
// higher.
#include "reports/benchmark_reader.h"

#include <gtest/gtest.h>

#include <fstream>

namespace ledgerstress {
namespace {

// Files named after the running test too: ctest runs tests in parallel processes.
std::string Write(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" + name;
  std::ofstream(path) << text;
  return path;
}

// Five repetitions of BM_Close/keyset at `ms` (plus jitter), in microseconds,
// with the mean aggregate Google Benchmark appends.
std::string BenchJson(double ms, double items_per_second) {
  std::string rows;
  for (int i = 0; i < 5; ++i) {
    rows += R"({"name": "BM_Close/keyset", "run_name": "BM_Close/keyset", "run_type": "iteration", )"
            R"("repetitions": 5, "repetition_index": )" + std::to_string(i) +
            R"(, "iterations": 3, "real_time": )" + std::to_string((ms + 0.01 * i) * 1000) +
            R"(, "cpu_time": 100.0, "time_unit": "us", "statements": 209, "items_per_second": )" +
            std::to_string(items_per_second + i) + "},";
  }
  rows += R"({"name": "BM_Close/keyset_mean", "run_name": "BM_Close/keyset", "run_type": "aggregate", )"
          R"("aggregate_name": "mean", "real_time": 1.0, "cpu_time": 1.0, "time_unit": "us"})";
  return R"({"context": {"date": "x", "num_cpus": 2}, "benchmarks": [)" + rows + "]}";
}

TEST(BenchmarkReader, ReadsRepetitionsInMillisecondsWithCounters) {
  const std::string f = Write("bench_a.json", BenchJson(348, 1000));
  ASSERT_TRUE(IsBenchmarkJson(f));
  MetricSamples s;
  std::string error;
  ASSERT_TRUE(ReadBenchmarkFile(f, &s, &error)) << error;
  ASSERT_EQ(s.size(), 1u);
  const auto& m = s.at("BM_Close/keyset");
  ASSERT_EQ(m.at("real_time_ms").size(), 5u);  // the aggregate row is not a sample
  EXPECT_NEAR(m.at("real_time_ms")[0], 348, 1e-9);
  EXPECT_NEAR(m.at("cpu_time_ms")[0], 0.1, 1e-12);
  EXPECT_EQ(m.at("statements")[4], 209);
  EXPECT_EQ(m.count("repetition_index"), 0u);
}

TEST(BenchmarkReader, ASlowerHeadFailsAndMoreThroughputIsBetter) {
  MetricSamples base, head;
  std::string error;
  ASSERT_TRUE(ReadBenchmarkFile(Write("base.json", BenchJson(348, 1000)), &base, &error));
  ASSERT_TRUE(ReadBenchmarkFile(Write("head.json", BenchJson(420, 2000)), &head, &error));
  CompareOptions o;
  FailRule rule;
  ASSERT_TRUE(ParseFailRule("*real_time_ms:+10%", &rule));
  o.fail_on.push_back(rule);
  const Comparison c = CompareSamples(base, head, o);
  EXPECT_TRUE(c.failed);
  for (const MetricComparison& r : c.rows) {
    if (r.metric == "items_per_second") {
      EXPECT_FALSE(r.worse);
    }
    if (r.metric == "real_time_ms") {
      EXPECT_TRUE(r.worse && r.significant);
    }
  }
  // The same file on both sides: nothing fails.
  EXPECT_FALSE(CompareSamples(base, base, o).failed);
}

TEST(BenchmarkReader, RefusesWhatIsNotBenchmarkJson) {
  const std::string f = Write("not_bench.json", R"({"schema": "ledgerstress.report/1", "cases": []})");
  EXPECT_FALSE(IsBenchmarkJson(f));
  MetricSamples s;
  std::string error;
  EXPECT_FALSE(ReadBenchmarkFile(f, &s, &error));
  EXPECT_NE(error.find("not Google Benchmark JSON"), std::string::npos) << error;
}

}  // namespace
}  // namespace ledgerstress
