#include "settlement/saka_wallet.h"

#include <pqxx/pqxx>

#include "settlement/named_enum.h"
#include "settlement/counted.h"

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
// throws MultipleWalletsError for several, as Django's get() does. `Result`
// is a pqxx::result (autocommit) or Rows (CountedWork).
template <typename Result>
bool SingleRow(const Result& r, std::int64_t user_id, std::int64_t* id) {
  if (r.empty()) return false;
  if (r.size() > 1) {
    throw MultipleWalletsError("get() returned more than one SakaWallet for user " +
                               std::to_string(user_id) + " -- it returned " +
                               std::to_string(r.size()) + "!");
  }
  *id = r[0][0].template as<std::int64_t>();
  return true;
}

SakaWalletResult GetOrCreateAutocommit(Connection& conn, std::int64_t user_id, Observer& obs) {
  SakaWalletResult out;
  if (SingleRow(ExecAutocommit(conn, obs, kSelectWallet, user_id), user_id, &out.wallet_id)) return out;
  try {
    CountedWork atomic(conn, obs);  // with transaction.atomic(): BEGIN
    out.wallet_id = atomic.Exec(kInsertWallet, user_id)[0][0].as<std::int64_t>();
    atomic.Commit();
    out.created = true;
    return out;
  } catch (const pqxx::unique_violation&) {
    // Another caller won the race; Django looks again and returns its row.
    if (SingleRow(ExecAutocommit(conn, obs, kSelectWallet, user_id), user_id, &out.wallet_id)) return out;
    throw;
  }
}

SakaWalletResult SelectForUpdateGetOrCreate(Connection& conn, std::int64_t user_id, Observer& obs) {
  SakaWalletResult out;
  CountedWork atomic(conn, obs);  // @transaction.atomic
  if (!SingleRow(atomic.Exec(kSelectWalletForUpdate, user_id), user_id, &out.wallet_id)) {
    // The nested atomic block inside get_or_create is a savepoint: exactly
    // what Django sends.
    atomic.ExecRaw("SAVEPOINT get_or_create");
    try {
      out.wallet_id = atomic.Exec(kInsertWallet, user_id)[0][0].as<std::int64_t>();
      atomic.ExecRaw("RELEASE SAVEPOINT get_or_create");
      out.created = true;
    } catch (const pqxx::unique_violation&) {
      atomic.ExecRaw("ROLLBACK TO SAVEPOINT get_or_create");
      if (!SingleRow(atomic.Exec(kSelectWalletForUpdate, user_id), user_id, &out.wallet_id)) throw;
    }
  }
  atomic.Commit();
  return out;
}

SakaWalletResult InsertOnConflict(Connection& conn, std::int64_t user_id, Observer& obs) {
  SakaWalletResult out;
  const pqxx::result inserted = ExecAutocommit(conn, obs, kInsertOnConflict, user_id);
  if (!inserted.empty()) {
    out.wallet_id = inserted[0][0].as<std::int64_t>();
    out.created = true;
    return out;
  }
  if (!SingleRow(ExecAutocommit(conn, obs, kSelectWallet, user_id), user_id, &out.wallet_id)) {
    // The conflicting row was deleted between the two statements.
    throw MultipleWalletsError("SAKA wallet for user " + std::to_string(user_id) +
                               " vanished after an insert conflict");
  }
  return out;
}

}  // namespace

constexpr NamedValue<SakaStrategy> kSakaNames[] = {{SakaStrategy::kGetOrCreate, "get_or_create"},
                                                   {SakaStrategy::kSelectForUpdate, "select_for_update"},
                                                   {SakaStrategy::kInsertOnConflict, "insert_on_conflict"}};

const std::vector<std::string>& SakaStrategyNames() {
  static const std::vector<std::string> names = AllNames(kSakaNames);
  return names;
}

bool ParseSakaStrategy(const std::string& name, SakaStrategy* out) { return ParseName(kSakaNames, name, out); }

const char* SakaStrategyName(SakaStrategy s) { return NameOf(kSakaNames, s); }

SakaWalletResult SakaGetOrCreateWallet(Connection& conn,
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
