#include "settlement/close_project.h"

#include <stdexcept>

#include "settlement/close_common.h"

namespace settlement {

namespace {
constexpr CloseStrategy kAll[] = {CloseStrategy::kPerEscrow, CloseStrategy::kBatched, CloseStrategy::kKeyset,
                                  CloseStrategy::kSetBased};
}  // namespace

const std::vector<std::string>& CloseStrategyNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (CloseStrategy s : kAll) v.push_back(CloseStrategyName(s));
    return v;
  }();
  return names;
}

bool ParseCloseStrategy(const std::string& name, CloseStrategy* out) {
  for (CloseStrategy s : kAll) {
    if (name == CloseStrategyName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

const char* CloseStrategyName(CloseStrategy s) {
  switch (s) {
    case CloseStrategy::kPerEscrow: return "per_escrow";
    case CloseStrategy::kBatched: return "batched";
    case CloseStrategy::kKeyset: return "keyset";
    case CloseStrategy::kSetBased: return "set_based";
  }
  return "?";
}

CloseResult CloseProjectSuccess(Connection& conn, std::int64_t project_id, CloseStrategy strategy,
                                const CloseParams& params, Observer& obs) {
  if (params.release_batch_size < 1 || params.max_escrows_per_close < 1) {
    throw std::invalid_argument("release_batch_size and max_escrows_per_close must be positive");
  }
  switch (strategy) {
    case CloseStrategy::kPerEscrow: return ClosePerEscrow(conn, project_id, params, obs);
    case CloseStrategy::kBatched: return CloseBatched(conn, project_id, params, obs);
    case CloseStrategy::kKeyset: return CloseKeyset(conn, project_id, params, obs);
    case CloseStrategy::kSetBased: return CloseSetBased(conn, project_id, params, obs);
  }
  throw std::logic_error("unknown CloseStrategy");
}

}  // namespace settlement
