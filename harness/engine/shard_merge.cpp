#include "harness/engine/shard_merge.h"

#include <algorithm>
#include <cmath>

#include "harness/engine/op_stats.h"

namespace ledgerstress {
namespace {

std::uint64_t Ns(double ms) { return static_cast<std::uint64_t>(std::llround(ms * 1e6)); }

std::vector<SeriesPoint> MergeSeries(const std::vector<SeriesPoint>& a, const std::vector<SeriesPoint>& b) {
  std::vector<SeriesPoint> out = a.size() >= b.size() ? a : b;
  const std::vector<SeriesPoint>& other = a.size() >= b.size() ? b : a;
  for (std::size_t i = 0; i < other.size(); ++i) {
    SeriesPoint& p = out[i];
    const SeriesPoint& q = other[i];
    const double calls = static_cast<double>(p.calls + q.calls);
    if (calls > 0) {
      p.p50_ms = (p.p50_ms * static_cast<double>(p.calls) + q.p50_ms * static_cast<double>(q.calls)) / calls;
    }
    p.p99_ms = std::max(p.p99_ms, q.p99_ms);
    p.calls += q.calls;
    p.errors += q.errors;
  }
  return out;
}

template <typename Map>
void AddCounts(Map* into, const Map& part) {
  for (const auto& [k, n] : part) (*into)[k] += n;
}

void AddOperation(OperationResult* op, const OperationResult& q) {
  op->calls += q.calls;
  AddCounts(&op->outcomes, q.outcomes);
  op->latency = MergeLatency(op->latency, q.latency);
  op->open_model = op->open_model || q.open_model;
  op->latency_corrected = MergeLatency(op->latency_corrected, q.latency_corrected);
  op->series = MergeSeries(op->series, q.series);
  op->statements += q.statements;
  op->statements_measured = op->statements_measured && q.statements_measured;
  if (op->statements_missing.empty()) op->statements_missing = q.statements_missing;
  op->round_trips += q.round_trips;
  for (const std::string& s : q.error_samples) AddErrorSample(&op->error_samples, s);
  AddCounts(&op->attempts, q.attempts);
  for (const std::string& s : q.backoff_samples) {
    if (op->backoff_samples.size() < 5) op->backoff_samples.push_back(s);
  }
  op->sleeps_in_transaction += q.sleeps_in_transaction;
  op->off_schedule_backoffs += q.off_schedule_backoffs;
  op->retries_without_backoff += q.retries_without_backoff;
  op->unresolved_in_doubt_retries += q.unresolved_in_doubt_retries;
  AddCounts(&op->failed_attempts, q.failed_attempts);
  op->max_attempts_seen = std::max(op->max_attempts_seen, q.max_attempts_seen);
}

}  // namespace

Histogram HistogramOf(const LatencySummary& s) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> buckets;
  buckets.reserve(s.buckets.size());
  for (const auto& [ms, n] : s.buckets) buckets.emplace_back(Ns(ms), n);
  const double sum_ns = s.mean_ms * 1e6 * static_cast<double>(s.count);
  return Histogram::FromBuckets(buckets, Ns(s.min_ms), Ns(s.max_ms), static_cast<std::uint64_t>(std::llround(sum_ns)));
}

LatencySummary MergeLatency(const LatencySummary& a, const LatencySummary& b) {
  if (b.count == 0) return a;
  if (a.count == 0) return b;
  Histogram h = HistogramOf(a);
  h.Merge(HistogramOf(b));
  return Summarize(h);
}

void AddOperations(std::vector<OperationResult>* into, const std::vector<OperationResult>& part) {
  for (const OperationResult& q : part) {
    const auto it = std::find_if(into->begin(), into->end(), [&](const OperationResult& op) {
      return op.name == q.name && op.strategy == q.strategy;
    });
    if (it == into->end()) {
      into->push_back(q);
    } else {
      AddOperation(&*it, q);
    }
  }
}

void AddArrivals(ArrivalReport* into, const ArrivalReport& part) {
  if (part.rate_per_s <= 0) return;
  if (into->rate_per_s <= 0) {
    *into = part;
    return;
  }
  into->started += part.started;
  into->dropped += part.dropped;
  into->lag = MergeLatency(into->lag, part.lag);
}

RoundSpans SpansOf(const std::vector<const WorkerOutput*>& workers) {
  RoundSpans spans;
  for (const WorkerOutput* w : workers) {
    RoundSpans own;
    for (std::int64_t t : w->round_starts_unix_ns) own.emplace_back(t, t);
    AddSpans(&spans, own);
  }
  return spans;
}

void AddSpans(RoundSpans* into, const RoundSpans& part) {
  for (std::size_t k = 0; k < part.size(); ++k) {
    if (k >= into->size()) {
      into->push_back(part[k]);
      continue;
    }
    (*into)[k].first = std::min((*into)[k].first, part[k].first);
    (*into)[k].second = std::max((*into)[k].second, part[k].second);
  }
}

ReleaseSkew SkewOf(const RoundSpans& spans) {
  ReleaseSkew s;
  std::vector<double> ms;
  for (const auto& [first, last] : spans) ms.push_back(static_cast<double>(last - first) / 1e6);
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    const std::size_t rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ms.size())));
    return ms[std::max<std::size_t>(rank, 1) - 1];
  };
  s.rounds = static_cast<int>(ms.size());
  s.p50_ms = at(0.5);
  s.p99_ms = at(0.99);
  s.max_ms = ms.back();
  return s;
}

}  // namespace ledgerstress
