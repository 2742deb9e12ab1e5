#include "harness/engine/shard_in_doubt.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <pqxx/pqxx>

#include "harness/invariants/durable_shape.h"
#include "harness/pg/like_pattern.h"
#include "harness/pg/target.h"

namespace ledgerstress {
namespace {

// The slice's sessions: its workers' ("<prefix>/w3"), and those of a
// driver's process that serves several of them ("<prefix>/w3-5").
std::string Ours(pqxx::transaction_base& tx, const WorkloadEnv& env, const WorkerSlice& slice) {
  std::string names, groups;
  for (int i = slice.first; i < slice.end; ++i) {
    names += (names.empty() ? "" : ",") + tx.quote(WorkerAppName(env, i));
    groups += (groups.empty() ? "" : ",") + tx.quote(LikeEscaped(WorkerAppName(env, i)) + "-%");
  }
  return "application_name = ANY(ARRAY[" + names + "]::text[]) OR application_name LIKE ANY(ARRAY[" + groups +
         "]::text[])";
}

// Terminates the slice's sessions and waits until none is left.
void EndSessions(settlement::Connection& conn, const WorkloadEnv& env, const WorkerSlice& slice) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    pqxx::nontransaction tx(conn);
    const std::string left = "FROM pg_stat_activity WHERE " + Ours(tx, env, slice);
    tx.exec("SELECT pg_terminate_backend(pid) " + left);
    if (tx.exec1("SELECT count(*) " + left)[0].as<int>() == 0) return;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the lost shard's sessions are still there after 10 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// The call numbers in [from, to) whose key `prefix` + n the operation's
// durable query finds.
std::vector<std::int64_t> Found(pqxx::transaction_base& tx, const ClientHistory::Operation& op,
                                const DurableShape& shape, const std::string& prefix, std::int64_t from,
                                std::int64_t to) {
  const std::string durable = BindKey(op.durable_sql, "(" + tx.quote(prefix) + " || n::text)");
  const std::string found = shape.counts ? "(" + durable + ") > 0" : "EXISTS (" + durable + ")";
  const pqxx::result r = tx.exec("SELECT n FROM generate_series(" + std::to_string(from) + "::bigint, " +
                                 std::to_string(to - 1) + "::bigint) AS g(n) WHERE " + found + " ORDER BY n");
  std::vector<std::int64_t> ns;
  for (const auto& row : r) ns.push_back(row[0].as<std::int64_t>());
  return ns;
}

// One worker's calls, each in doubt, added to *lost. found[n]: the
// operation whose durable query found key n, or -1.
void AddWorker(pqxx::transaction_base& tx, const ClientHistory& history, const std::vector<DurableShape>& shapes,
               const std::string& prefix, std::int64_t bound, LostCalls* lost) {
  std::vector<int> found;
  for (std::int64_t from = 0; bound <= 0 || from < bound; from += kProbeWindow) {
    const std::int64_t to = bound > 0 ? std::min(bound, from + kProbeWindow) : from + kProbeWindow;
    bool any = false;
    for (std::size_t k = 0; k < shapes.size(); ++k) {
      for (std::int64_t n : Found(tx, history.operations()[k], shapes[k], prefix, from, to)) {
        if (found.size() <= static_cast<std::size_t>(n)) found.resize(static_cast<std::size_t>(n) + 1, -1);
        if (found[static_cast<std::size_t>(n)] < 0) found[static_cast<std::size_t>(n)] = static_cast<int>(k);
        any = true;
      }
    }
    if (!any && bound <= 0) break;  // the calls known: every window up to them
  }
  ClientHistory::Log log{prefix, {}, {}, {}};
  for (int k : found) {
    // An absent key's operation is unknown; any one's durable query finds nothing under it.
    log.calls.push_back(ClientHistory::Pack(static_cast<std::uint8_t>(std::max(k, 0)), ClientHistory::kInDoubt));
    ++(k >= 0 ? lost->committed : lost->absent);
  }
  lost->logs.push_back(std::move(log));
}

}  // namespace

LostCalls ResolveLostCalls(const WorkloadEnv& env, const ClientHistory& history, const WorkerSlice& slice,
                           std::int64_t calls_bound) {
  std::unique_ptr<settlement::Connection> conn =
      Connect(*env.target, SessionSettings::Named(env.app_prefix + "/resolve", env.schema));
  EndSessions(*conn, env, slice);
  LostCalls lost;
  if (history.operations().empty()) return lost;
  pqxx::read_transaction tx(*conn);
  std::vector<DurableShape> shapes;
  for (const ClientHistory::Operation& op : history.operations()) {
    shapes.push_back(DescribeDurable(tx, op.name, op.durable_sql, op.arg_names));
  }
  for (int i = slice.first; i < slice.end; ++i) {
    AddWorker(tx, history, shapes, WorkerKeyPrefix(env, i), calls_bound, &lost);
  }
  return lost;
}

}  // namespace ledgerstress
