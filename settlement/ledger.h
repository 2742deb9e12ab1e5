#ifndef LEDGERSTRESS_SETTLEMENT_LEDGER_H_
#define LEDGERSTRESS_SETTLEMENT_LEDGER_H_

#include <cstdint>
#include <stdexcept>
#include <string>

#include "settlement/connection.h"

#include "settlement/money.h"
#include "settlement/observer.h"
#include "settlement/retry.h"

namespace settlement {

// Emails of the system users that own the COMMISSION and FEES wallets.
extern const char kCommissionEmail[];
extern const char kFeesEmail[];

// The donor cannot cover the pledge. Nothing was written.
class InsufficientFunds : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The project does not take pledges (missing, or not FUNDING). Nothing was
// written.
class ProjectNotFunding : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DepositResult {
  std::int64_t transaction_id = 0;
  bool duplicate = false;  // the key was already used: nothing was written now
};

// Credits the user's wallet with `amount` (> 0) and records a DEPOSIT
// transaction under `key`, in one transaction. Idempotent: a key already
// recorded returns the earlier transaction and writes nothing. The
// connection must have no transaction open.
DepositResult Deposit(Connection& conn, std::int64_t user_id, Cents amount,
                      const std::string& key, Observer& obs, const RetryPolicy& retry = {});

struct PledgeResult {
  std::int64_t escrow_id = 0;
  bool duplicate = false;  // the key was already used: nothing was written now
};

// Locks the donor's wallet FOR UPDATE and the project FOR SHARE, checks
// funds, debits the wallet, creates a LOCKED escrow and a PLEDGE
// transaction (negative amount), all under `key`, in one transaction.
// Idempotent by key. Runs under `retry` (see retry.h). Throws InsufficientFunds / ProjectNotFunding (nothing
// written) or pqxx errors (rolled back).
PledgeResult PledgeFunds(Connection& conn, std::int64_t user_id, std::int64_t project_id,
                         Cents amount, const std::string& pledge_type, const std::string& key,
                         Observer& obs, const RetryPolicy& retry = {});

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_LEDGER_H_
