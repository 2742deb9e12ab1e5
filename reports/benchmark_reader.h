#ifndef LEDGERSTRESS_REPORTS_BENCHMARK_READER_H_
#define LEDGERSTRESS_REPORTS_BENCHMARK_READER_H_

#include <string>

#include "reports/compare.h"

namespace ledgerstress {

// Whether `path` is Google Benchmark JSON (--benchmark_out_format=json):
// an object with "context" and "benchmarks".
bool IsBenchmarkJson(const std::string& path);

// Reads Google Benchmark JSON into samples for CompareSamples: one case per
// benchmark (its run_name), with the metrics real_time_ms and cpu_time_ms
// (converted from the file's time_unit) and every user counter, one value
// per repetition (--benchmark_repetitions=N; aggregate rows are skipped).
// Returns false with *error set ("<path>: ...") when it cannot.
bool ReadBenchmarkFile(const std::string& path, MetricSamples* out, std::string* error);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_BENCHMARK_READER_H_
