#include "harness/engine/outcome.h"

#include <pqxx/except>

#include <gtest/gtest.h>

#include "settlement/saka_wallet.h"

namespace ledgerstress {
namespace {

template <typename E>
Classified ClassifyThrown(const E& e) {
  try {
    throw e;
  } catch (...) {
    return ClassifyCurrentException();
  }
}

TEST(ClassifyCurrentException, RollbackExceptionsAreClassifiedByType) {
  // libpqxx 6.4's rollback exceptions carry no SQLSTATE: only the type tells.
  EXPECT_EQ(ClassifyThrown(pqxx::deadlock_detected("boom")).outcome, Outcome::kDeadlock);
  EXPECT_EQ(ClassifyThrown(pqxx::serialization_failure("boom")).outcome, Outcome::kSerialization);
  EXPECT_EQ(ClassifyThrown(pqxx::in_doubt_error("boom")).outcome, Outcome::kInDoubt);
  EXPECT_EQ(ClassifyThrown(pqxx::statement_completion_unknown("boom")).outcome, Outcome::kInDoubt);
  EXPECT_EQ(ClassifyThrown(pqxx::broken_connection("boom")).outcome, Outcome::kConnectionLost);
}

TEST(ClassifyCurrentException, SqlErrorsAreClassifiedBySqlstate) {
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("x", "q", "55P03")).outcome, Outcome::kLockTimeout);
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("x", "q", "57014")).outcome, Outcome::kQueryCanceled);
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("x", "q", "25P02")).outcome, Outcome::kAbortedTransaction);
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("x", "q", "57P01")).outcome, Outcome::kConnectionLost);
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("x", "q", "40P01")).outcome, Outcome::kDeadlock);
  const Classified u = ClassifyThrown(pqxx::unique_violation("dup", "q", "23505"));
  EXPECT_EQ(u.outcome, Outcome::kUniqueViolation);
  EXPECT_EQ(u.sqlstate, "23505");
}

TEST(ClassifyCurrentException, NeverLooksAtTheMessageText) {
  // The review matched 'deadlock' in the message; a unique violation whose
  // text mentions a deadlock is still a unique violation.
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("deadlock detected (not really)", "q", "23505")).outcome,
            Outcome::kUniqueViolation);
  EXPECT_EQ(ClassifyThrown(std::runtime_error("deadlock detected")).outcome, Outcome::kOther);
  EXPECT_EQ(ClassifyThrown(pqxx::sql_error("lock timeout", "q", "42P01")).outcome, Outcome::kOther);
}

TEST(ClassifyCurrentException, ApplicationErrorsAreOtherWithTheirFirstLine) {
  const Classified c = ClassifyThrown(settlement::MultipleWalletsError("two wallets\nsecond line"));
  EXPECT_EQ(c.outcome, Outcome::kOther);
  EXPECT_EQ(c.message, "two wallets");
}

TEST(ClassifyException, ClassifiesAnObjectByItsTypeWithoutThrowingIt) {
  EXPECT_EQ(ClassifyException(pqxx::deadlock_detected("x")), Outcome::kDeadlock);
  EXPECT_EQ(ClassifyException(pqxx::sql_error("current transaction is aborted", "q", "25P02")),
            Outcome::kAbortedTransaction);
  EXPECT_EQ(ClassifyException(pqxx::in_doubt_error("x")), Outcome::kInDoubt);
  EXPECT_EQ(ClassifyException(std::runtime_error("deadlock")), Outcome::kOther);
}

TEST(OutcomeName, IsStableForReports) {
  EXPECT_STREQ(OutcomeName(Outcome::kOk), "ok");
  EXPECT_STREQ(OutcomeName(Outcome::kDeadlock), "deadlock");
  EXPECT_STREQ(OutcomeName(Outcome::kAbortedTransaction), "aborted_transaction");
  EXPECT_STREQ(OutcomeName(Outcome::kOther), "other");
}

}  // namespace
}  // namespace ledgerstress
