#include "settlement/retry.h"

#include <algorithm>
#include <cctype>
#include <thread>

#include "settlement/named_enum.h"

namespace settlement {
namespace {

std::chrono::milliseconds Backoff(const RetryPolicy& p, int failed_attempts) {
  const auto full = p.base_delay * (1 << std::min(failed_attempts - 1, 20));
  if (!p.jitter || p.strategy != RetryStrategy::kPerTransaction || !p.rng) return full;
  // Equal jitter: half the delay for sure, the other half at random, so that
  // the victims of one deadlock do not collide again in lockstep.
  const auto half = full.count() / 2;
  return std::chrono::milliseconds(half + std::uniform_int_distribution<long long>(0, full.count() - half)(*p.rng));
}

void Sleep(Observer& obs, std::chrono::milliseconds d, bool transaction_open) {
  obs.OnBackoff(d, transaction_open);
  std::this_thread::sleep_for(d);
}

// The review's test: str(e).lower() contains 'deadlock' or 'lock'.
bool ReviewSaysRetry(const std::exception& e) {
  std::string text = e.what();
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text.find("deadlock") != std::string::npos || text.find("lock") != std::string::npos;
}

void InTransaction(Connection& conn, const RetryPolicy& p, Observer& obs, const TransactionBody& body,
                   const char* begin) {
  CountedWork tx(conn, obs, begin);  // @transaction.atomic: the loop runs inside it
  for (int attempt = 1;; ++attempt) {
    obs.OnAttempt(attempt);
    try {
      body(tx);
      break;
    } catch (const pqxx::failure& e) {
      obs.OnAttemptFailed(attempt, e);
      if (!ReviewSaysRetry(e) || attempt >= p.max_attempts) throw;
      Sleep(obs, Backoff(p, attempt), /*transaction_open=*/true);
    }
  }
  tx.Commit();
}

void PerTransaction(Connection& conn, const RetryPolicy& p, Observer& obs, const TransactionBody& body,
                    const CommitProbe& committed, const char* begin) {
  for (int attempt = 1;; ++attempt) {
    obs.OnAttempt(attempt);
    try {
      CountedWork tx(conn, obs, begin);
      body(tx);
      tx.Commit();
      return;
    } catch (const pqxx::in_doubt_error& e) {
      obs.OnAttemptFailed(attempt, e);
      // The commit may or may not have happened: ask, never guess, on a
      // fresh session (the one whose COMMIT reply was lost is usually
      // gone). When the question cannot be asked (the server is down), the
      // call stays in doubt for the caller to resolve by key.
      bool known = false, yes = false;
      try {
        if (!conn.Usable()) conn.Reopen();
        yes = committed();
        known = true;
      } catch (const std::exception&) {
      }
      if (!known) throw;
      if (yes) return;
      if (attempt >= p.max_attempts) throw;
    } catch (const pqxx::deadlock_detected& e) {
      obs.OnAttemptFailed(attempt, e);
      if (attempt >= p.max_attempts) throw;
    } catch (const pqxx::serialization_failure& e) {
      obs.OnAttemptFailed(attempt, e);
      if (attempt >= p.max_attempts) throw;
    }
    Sleep(obs, Backoff(p, attempt), /*transaction_open=*/false);
  }
}

}  // namespace

namespace {
constexpr NamedValue<RetryStrategy> kRetryNames[] = {{RetryStrategy::kNone, "none"},
                                                     {RetryStrategy::kInTransaction, "in_transaction"},
                                                     {RetryStrategy::kPerTransaction, "per_transaction"}};
}  // namespace

const std::vector<std::string>& RetryStrategyNames() {
  static const std::vector<std::string> names = AllNames(kRetryNames);
  return names;
}

bool ParseRetryStrategy(const std::string& name, RetryStrategy* out) { return ParseName(kRetryNames, name, out); }

const char* RetryStrategyName(RetryStrategy s) { return NameOf(kRetryNames, s); }

void RunWithRetry(Connection& conn, const RetryPolicy& policy, Observer& obs, const TransactionBody& body,
                  const CommitProbe& committed, const char* begin) {
  switch (policy.strategy) {
    case RetryStrategy::kNone: {
      obs.OnAttempt(1);
      CountedWork tx(conn, obs, begin);
      body(tx);
      tx.Commit();
      return;
    }
    case RetryStrategy::kInTransaction: InTransaction(conn, policy, obs, body, begin); return;
    case RetryStrategy::kPerTransaction: PerTransaction(conn, policy, obs, body, committed, begin); return;
  }
}

}  // namespace settlement
