#include "harness/engine/operations.h"

#include <stdexcept>

#include "settlement/saka_wallet.h"

namespace ledgerstress {

OperationFn BindOperation(const std::string& operation, const std::string& strategy) {
  if (operation == "saka_get_or_create_wallet") {
    settlement::SakaStrategy s;
    if (!settlement::ParseSakaStrategy(strategy, &s)) {
      throw std::invalid_argument("unknown strategy '" + strategy + "' for " + operation);
    }
    return [s](CallContext& c) { settlement::SakaGetOrCreateWallet(c.conn, c.user_id, s, c.observer); };
  }
  throw std::invalid_argument("unknown operation '" + operation + "'");
}

}  // namespace ledgerstress
