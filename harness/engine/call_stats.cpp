// What one worker records of its calls: the observer the settlement code
// reports to, and the per-operation figures (worker.h declares both).
#include <algorithm>

#include "harness/engine/worker.h"

namespace ledgerstress {
namespace {

constexpr std::size_t kMaxErrorSamples = 5;

std::string Fmt0(double v) { return std::to_string(static_cast<long long>(v + 0.5)); }

}  // namespace

void AddErrorSample(std::vector<std::string>* samples, const std::string& s) {
  if (samples->size() < kMaxErrorSamples && std::find(samples->begin(), samples->end(), s) == samples->end()) {
    samples->push_back(s);
  }
}

void CountingObserver::OnAttempt(int attempt) {
  const auto now = std::chrono::steady_clock::now();
  if (attempt > 1 && backoff_start_.time_since_epoch().count() != 0) {
    backoffs_ms.push_back(std::chrono::duration<double, std::milli>(now - backoff_start_).count());
    backoff_start_ = {};
  }
  if (attempt > 1 && failed_at_.time_since_epoch().count() != 0) {
    gaps_ms.push_back(std::chrono::duration<double, std::milli>(now - failed_at_).count());
  }
  if (attempt > 1 && in_doubt_pending_ && statements == statements_at_failure_) ++unresolved_in_doubt_retries;
  in_doubt_pending_ = false;
  attempts = attempt;
}

void CountingObserver::OnAttemptFailed(int, const std::exception& error) {
  failed_at_ = std::chrono::steady_clock::now();
  const Outcome o = ClassifyException(error);  // by type, as for whole calls
  failed_attempts.push_back(o);
  in_doubt_pending_ = o == Outcome::kInDoubt;
  statements_at_failure_ = statements;
}

void CountingObserver::OnBackoff(std::chrono::milliseconds slept, bool transaction_open) {
  backoff_start_ = std::chrono::steady_clock::now();
  intended_ms.push_back(static_cast<double>(slept.count()));
  if (transaction_open) ++sleeps_in_transaction;
}

void OpStats::RecordRetries(const CountingObserver& obs, std::chrono::milliseconds base_delay) {
  ++attempts[static_cast<std::size_t>(std::min(obs.attempts, 11))];
  max_attempts_seen = std::max(max_attempts_seen, obs.attempts);
  for (Outcome o : obs.failed_attempts) ++failed_attempts[static_cast<std::size_t>(o)];
  sleeps_in_transaction += static_cast<std::uint64_t>(obs.sleeps_in_transaction);
  for (std::size_t k = 0; k < obs.backoffs_ms.size(); ++k) {
    const double scheduled = static_cast<double>(base_delay.count()) * static_cast<double>(1 << std::min<std::size_t>(k, 20));
    // Jitter may take up to half; the OS may oversleep a little.
    if (obs.backoffs_ms[k] < 0.5 * scheduled - 2 || obs.backoffs_ms[k] > scheduled + 50) ++off_schedule_backoffs;
  }
  for (std::size_t k = 0; k < obs.gaps_ms.size(); ++k) {
    const double scheduled = static_cast<double>(base_delay.count()) * static_cast<double>(1 << std::min<std::size_t>(k, 20));
    if (obs.gaps_ms[k] < 0.5 * scheduled - 2) ++retries_without_backoff;
  }
  unresolved_in_doubt_retries += static_cast<std::uint64_t>(obs.unresolved_in_doubt_retries);
  if (!obs.backoffs_ms.empty() && backoff_samples.size() < 5) {
    std::string seq;
    for (double ms : obs.backoffs_ms) seq += (seq.empty() ? "" : " ") + Fmt0(ms) + "ms";
    backoff_samples.push_back(seq);
  }
}

void OpStats::Record(std::chrono::nanoseconds latency, const Classified* error, std::uint64_t stmts,
                     std::uint64_t trips, std::chrono::steady_clock::duration since_epoch,
                     SharedSecondSeries* shared) {
  const auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count()));
  latency_ns.Record(ns);
  const auto second = static_cast<std::size_t>(
      std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count()));
  if (shared && !per_second.empty() && second > per_second.last_second()) {
    shared->Add(per_second);  // a second is over: hand it over, keep memory per operation
    per_second.Clear();
  }
  // A business refusal or a call that took no effect ended as its code
  // meant: not an error in the per-second series, not an error sample.
  const bool failure = error && error->outcome != Outcome::kExpected && error->outcome != Outcome::kNoEffect;
  per_second.Record(second, ns, failure);
  ++outcomes[static_cast<std::size_t>(error ? error->outcome : Outcome::kOk)];
  statements += stmts;
  round_trips += trips;
  if (error && error->outcome != Outcome::kNoEffect) {
    AddErrorSample(&error_samples, std::string(OutcomeName(error->outcome)) +
                                  (error->sqlstate.empty() ? "" : " [" + error->sqlstate + "]") + ": " +
                                  error->message);
  }
}

}  // namespace ledgerstress
