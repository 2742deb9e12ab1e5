#include "reports/benchmark_reader.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace ledgerstress {
namespace {

using nlohmann::json;

bool Parse(const std::string& path, json* out) {
  std::ifstream in(path);
  if (!in) return false;
  try {
    *out = json::parse(in);
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

double ToMs(double v, const std::string& unit) {
  if (unit == "ns") return v / 1e6;
  if (unit == "us") return v / 1e3;
  if (unit == "s") return v * 1e3;
  return v;  // ms
}

// Keys of a benchmark row that are not user counters.
bool IsBuiltin(const std::string& k) {
  static const char* const kBuiltin[] = {"name", "family_index", "per_family_instance_index", "run_name", "run_type",
                                         "repetitions", "repetition_index", "threads", "iterations", "real_time",
                                         "cpu_time", "time_unit", "aggregate_name", "aggregate_unit", "label",
                                         "error_occurred", "error_message"};
  for (const char* b : kBuiltin) {
    if (k == b) return true;
  }
  return false;
}

}  // namespace

bool IsBenchmarkJson(const std::string& path) {
  json j;
  return Parse(path, &j) && j.is_object() && j.contains("context") && j.contains("benchmarks") &&
         j["benchmarks"].is_array();
}

bool ReadBenchmarkFile(const std::string& path, MetricSamples* out, std::string* error) {
  json j;
  if (!Parse(path, &j) || !j.is_object() || !j.contains("benchmarks") || !j["benchmarks"].is_array()) {
    *error = path + ": not Google Benchmark JSON (write it with --benchmark_out=FILE --benchmark_out_format=json)";
    return false;
  }
  try {
    for (const json& b : j["benchmarks"]) {
      if (b.value("run_type", "iteration") != "iteration" || b.value("error_occurred", false)) continue;
      const std::string name = b.value("run_name", b.value("name", ""));
      const std::string unit = b.value("time_unit", "ns");
      auto& metrics = (*out)[name];
      if (b.contains("real_time")) metrics["real_time_ms"].push_back(ToMs(b["real_time"].get<double>(), unit));
      if (b.contains("cpu_time")) metrics["cpu_time_ms"].push_back(ToMs(b["cpu_time"].get<double>(), unit));
      for (const auto& [k, v] : b.items()) {
        if (!IsBuiltin(k) && v.is_number()) metrics[k].push_back(v.get<double>());
      }
    }
  } catch (const json::exception& e) {
    *error = path + ": malformed benchmark JSON (" + e.what() + ")";
    return false;
  }
  if (out->empty()) {
    *error = path + ": no benchmark results";
    return false;
  }
  return true;
}

}  // namespace ledgerstress
