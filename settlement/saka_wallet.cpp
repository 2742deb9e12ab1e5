#include "settlement/saka_wallet.h"

#include <pqxx/pqxx>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

namespace settlement {
namespace {

// Django's QuerySet.get(): fetch at most 21 rows so that a duplicate is
// reported instead of silently picking one.
const char kSelectWallet[] =
    "SELECT id FROM saka_wallet WHERE user_id = $1 LIMIT 21";
const char kSelectWalletForUpdate[] =
    "SELECT id FROM saka_wallet WHERE user_id = $1 LIMIT 21 FOR UPDATE";
const char kInsertWallet[] =
    "INSERT INTO saka_wallet (user_id, balance) VALUES ($1, 0) RETURNING id";
const char kInsertOnConflict[] =
    "INSERT INTO saka_wallet (user_id, balance) VALUES ($1, 0) "
    "ON CONFLICT (user_id) DO NOTHING RETURNING id";

// Returns true and sets *id when exactly one row came back; false for none;
// throws MultipleWalletsError for several, as Django's get() does.
bool SingleRow(const pqxx::result& r, std::int64_t user_id, std::int64_t* id) {
  if (r.empty()) return false;
  if (r.size() > 1) {
    throw MultipleWalletsError("get() returned more than one SakaWallet for user " +
                               std::to_string(user_id) + " -- it returned " +
                               std::to_string(r.size()) + "!");
  }
  *id = r[0][0].as<std::int64_t>();
  return true;
}

SakaWalletResult GetOrCreateAutocommit(pqxx::connection_base& conn,
                                       std::int64_t user_id, Observer& obs) {
  SakaWalletResult out;
  {
    pqxx::nontransaction get(conn);
    obs.OnStatement(1);
    if (SingleRow(get.exec_params(kSelectWallet, user_id), user_id, &out.wallet_id)) return out;
  }
  try {
    pqxx::work atomic(conn);  // with transaction.atomic(): BEGIN
    obs.OnStatement(1);
    obs.OnStatement(1);
    out.wallet_id = atomic.exec_params1(kInsertWallet, user_id)[0].as<std::int64_t>();
    obs.OnStatement(1);
    atomic.commit();
    out.created = true;
    return out;
  } catch (const pqxx::unique_violation&) {
    // Another caller won the race; Django looks again and returns its row.
    pqxx::nontransaction get(conn);
    obs.OnStatement(1);
    if (SingleRow(get.exec_params(kSelectWallet, user_id), user_id, &out.wallet_id)) return out;
    throw;
  }
}

SakaWalletResult SelectForUpdateGetOrCreate(pqxx::connection_base& conn,
                                            std::int64_t user_id, Observer& obs) {
  SakaWalletResult out;
  pqxx::work atomic(conn);  // @transaction.atomic
  obs.OnStatement(1);
  obs.OnStatement(1);
  if (!SingleRow(atomic.exec_params(kSelectWalletForUpdate, user_id), user_id,
                 &out.wallet_id)) {
    // The nested atomic block inside get_or_create is a savepoint. The SQL is
    // issued by hand: it is exactly what Django sends, and libpqxx 6.4's
    // subtransaction does not roll back to its savepoint after an error.
    obs.OnStatement(1);
    atomic.exec("SAVEPOINT get_or_create");
    try {
      obs.OnStatement(1);
      out.wallet_id = atomic.exec_params1(kInsertWallet, user_id)[0].as<std::int64_t>();
      obs.OnStatement(1);
      atomic.exec("RELEASE SAVEPOINT get_or_create");
      out.created = true;
    } catch (const pqxx::unique_violation&) {
      obs.OnStatement(1);
      atomic.exec("ROLLBACK TO SAVEPOINT get_or_create");
      obs.OnStatement(1);
      if (!SingleRow(atomic.exec_params(kSelectWalletForUpdate, user_id), user_id,
                     &out.wallet_id)) {
        throw;
      }
    }
  }
  obs.OnStatement(1);
  atomic.commit();
  return out;
}

SakaWalletResult InsertOnConflict(pqxx::connection_base& conn,
                                  std::int64_t user_id, Observer& obs) {
  SakaWalletResult out;
  pqxx::nontransaction tx(conn);
  obs.OnStatement(1);
  pqxx::result inserted = tx.exec_params(kInsertOnConflict, user_id);
  if (!inserted.empty()) {
    out.wallet_id = inserted[0][0].as<std::int64_t>();
    out.created = true;
    return out;
  }
  obs.OnStatement(1);
  if (!SingleRow(tx.exec_params(kSelectWallet, user_id), user_id, &out.wallet_id)) {
    // The conflicting row was deleted between the two statements.
    throw MultipleWalletsError("SAKA wallet for user " + std::to_string(user_id) +
                               " vanished after an insert conflict");
  }
  return out;
}

}  // namespace

bool ParseSakaStrategy(const std::string& name, SakaStrategy* out) {
  for (SakaStrategy s : {SakaStrategy::kGetOrCreate, SakaStrategy::kSelectForUpdate,
                         SakaStrategy::kInsertOnConflict}) {
    if (name == SakaStrategyName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

const char* SakaStrategyName(SakaStrategy s) {
  switch (s) {
    case SakaStrategy::kGetOrCreate: return "get_or_create";
    case SakaStrategy::kSelectForUpdate: return "select_for_update";
    case SakaStrategy::kInsertOnConflict: return "insert_on_conflict";
  }
  return "?";
}

SakaWalletResult SakaGetOrCreateWallet(pqxx::connection_base& conn,
                                       std::int64_t user_id,
                                       SakaStrategy strategy,
                                       Observer& observer) {
  switch (strategy) {
    case SakaStrategy::kGetOrCreate: return GetOrCreateAutocommit(conn, user_id, observer);
    case SakaStrategy::kSelectForUpdate: return SelectForUpdateGetOrCreate(conn, user_id, observer);
    case SakaStrategy::kInsertOnConflict: return InsertOnConflict(conn, user_id, observer);
  }
  throw std::logic_error("unknown SakaStrategy");
}

}  // namespace settlement
