#include "settlement/close_project.h"

#include <stdexcept>

#include "settlement/close_common.h"
#include "settlement/named_enum.h"

namespace settlement {

namespace {
constexpr NamedValue<CloseStrategy> kCloseNames[] = {{CloseStrategy::kPerEscrow, "per_escrow"},
                                                     {CloseStrategy::kBatched, "batched"},
                                                     {CloseStrategy::kKeyset, "keyset"},
                                                     {CloseStrategy::kSetBased, "set_based"}};
}  // namespace

const std::vector<std::string>& CloseStrategyNames() {
  static const std::vector<std::string> names = AllNames(kCloseNames);
  return names;
}

bool ParseCloseStrategy(const std::string& name, CloseStrategy* out) { return ParseName(kCloseNames, name, out); }

const char* CloseStrategyName(CloseStrategy s) { return NameOf(kCloseNames, s); }

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
