// race_returns (CheckRaceReturns): what each race call returned, against
// the saka_wallet table. Fires when one user's calls got different ids, or
// an id that is not the user's SAKA wallet (0, another user's); holds when
// every call got its user's one wallet. And through the real engine.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/engine.h"
#include "harness/engine/fixtures.h"
#include "harness/invariants/invariants.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

// Three users; users 1 and 2 have a SAKA wallet each; no unique constraint,
// so that a test may give a user a second one.
class RaceReturns : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    conn_ = testing::ConnectToSchema(schema_);
    const Fixture f = CreateFixture(*conn_, FixtureSpec{schema_, {{"saka_unique_user", false}}, 3});
    u1_ = f.first_user_id;
    u2_ = u1_ + 1;
    u3_ = u1_ + 2;
    w1_ = NewSakaWallet(u1_);
    w2_ = NewSakaWallet(u2_);
  }
  void TearDown() override { DropSchema(*conn_, schema_); }

  std::int64_t NewSakaWallet(std::int64_t user) {
    pqxx::nontransaction tx(*conn_);
    return tx.exec_params1("INSERT INTO saka_wallet (user_id) VALUES ($1) RETURNING id", user)[0].as<std::int64_t>();
  }
  CheckResult Check(const std::vector<ClientHistory::Return>& returns) {
    ClientHistory h;
    h.AddReturns(returns);
    const std::optional<CheckResult> c = CheckRaceReturns(*conn_, h);
    if (!c) throw std::runtime_error("CheckRaceReturns gave nullopt for " + std::to_string(returns.size()) + " returns");
    return *c;
  }

  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  std::int64_t u1_ = 0, u2_ = 0, u3_ = 0, w1_ = 0, w2_ = 0;
};

TEST_F(RaceReturns, NoCallReportedAReturnSoThereIsNothingToCheck) {
  ClientHistory h;
  EXPECT_FALSE(CheckRaceReturns(*conn_, h).has_value()) << "no returns: no check, not a pass";
}

TEST_F(RaceReturns, HoldsWhenEveryCallGotItsUsersOneWallet) {
  const CheckResult c = Check({{u1_, w1_}, {u1_, w1_}, {u2_, w2_}, {u1_, w1_}});
  EXPECT_EQ(c.name, "race_returns");
  EXPECT_TRUE(c.passed) << c.message;
  EXPECT_EQ(c.message,
            "4 call(s) returned a wallet for 2 user(s): 0 user(s) given different ids, 0 id(s) that are not the "
            "user's SAKA wallet")
      << "the message counts the calls and users";
}

TEST_F(RaceReturns, FiresWhenTwoCallsForOneUserGotDifferentIds) {
  // Both are u1's SAKA wallets (no unique constraint): the table alone would
  // say nothing is foreign, but the callers disagree.
  const std::int64_t second = NewSakaWallet(u1_);
  const CheckResult c = Check({{u1_, w1_}, {u1_, second}, {u2_, w2_}});
  EXPECT_FALSE(c.passed) << c.message;
  EXPECT_NE(c.message.find("1 user(s) given different ids"), std::string::npos) << c.message;
  EXPECT_NE(c.message.find("0 id(s) that are not"), std::string::npos) << c.message;
  EXPECT_NE(c.message.find("user " + std::to_string(u1_) + " got 2 ids"), std::string::npos)
      << "names the user: " << c.message;
}

TEST_F(RaceReturns, FiresOnAZeroId) {
  const CheckResult c = Check({{u1_, w1_}, {u2_, 0}, {u2_, w2_}});
  EXPECT_FALSE(c.passed) << c.message;
  EXPECT_NE(c.message.find("1 id(s) that are not the user's SAKA wallet"), std::string::npos) << c.message;
  EXPECT_NE(c.message.find("user " + std::to_string(u2_) + " got 0"), std::string::npos) << c.message;
}

TEST_F(RaceReturns, FiresOnAZeroIdEvenWhenItIsTheUsersOnlyReturn) {
  const CheckResult c = Check({{u1_, 0}});
  EXPECT_FALSE(c.passed) << c.message;
  EXPECT_NE(c.message.find("0 user(s) given different ids, 1 id(s)"), std::string::npos) << c.message;
}

TEST_F(RaceReturns, FiresOnAnotherUsersWallet) {
  const CheckResult c = Check({{u1_, w2_}, {u2_, w2_}});
  EXPECT_FALSE(c.passed) << c.message;
  EXPECT_NE(c.message.find("1 id(s) that are not the user's SAKA wallet"), std::string::npos) << c.message;
  EXPECT_NE(c.message.find("user " + std::to_string(u1_) + " got " + std::to_string(w2_)), std::string::npos)
      << c.message;
}

TEST_F(RaceReturns, FiresOnAnIdThatIsNoWalletAtAllAndForAUserWithoutOne) {
  const CheckResult c = Check({{u3_, w1_ + w2_ + 1000}});
  EXPECT_FALSE(c.passed) << c.message;
  EXPECT_NE(c.message.find("1 id(s) that are not"), std::string::npos) << c.message;
}

CaseSpec RaceCase(const std::string& strategy, bool unique, int workers, int rounds) {
  CaseSpec c;
  c.name = strategy;
  c.workers = workers;
  c.calls_per_worker = 1;
  c.rounds = rounds;
  c.mix["saka_get_or_create_wallet"] = 1;
  c.strategies["saka_get_or_create_wallet"] = strategy;
  c.schema_options["saka_unique_user"] = unique;
  c.invariants = {"one_wallet_per_user"};
  c.seed = 3;
  return c;
}

const CheckResult* RaceReturnsCheck(const CaseResult& r) {
  for (const CheckResult& c : r.checks) {
    if (c.name == "race_returns") return &c;
  }
  return nullptr;
}

TEST(RaceReturnsCase, InsertOnConflictGivesEveryCallerTheOneWallet) {
  const CaseResult r = testing::RunCase(RaceCase("insert_on_conflict", true, 20, 3));
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  const CheckResult* c = RaceReturnsCheck(r);
  ASSERT_NE(c, nullptr) << "a race case must check what its calls returned";
  EXPECT_TRUE(c->passed) << c->message;
  EXPECT_EQ(c->message,
            "60 call(s) returned a wallet for 3 user(s): 0 user(s) given different ids, 0 id(s) that are not the "
            "user's SAKA wallet")
      << "20 workers x 1 call x 3 rounds, one user a round";
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
}

// Django's get_or_create without the unique constraint: every caller that
// created a wallet returns its own. Whenever the race made a second wallet
// for a user, the callers disagree, and race_returns must say so.
TEST(RaceReturnsCase, WhenTheRaceMadeDuplicatesTheCallersWereGivenDifferentIds) {
  StopSource stop;
  CaseRunner runner(CaseRunner::Options{testing::ClusterTarget(), testing::TestRunId(), /*keep_data=*/true, ""}, &stop);
  CaseProgress progress;
  const std::string schema = testing::FreshSchemaName();
  CaseSpec spec = RaceCase("get_or_create", false, 50, 3);
  spec.expect = Expectation::kViolation;
  const CaseResult r = runner.Run(spec, schema, &progress);
  auto conn = testing::ConnectToSchema(schema);
  std::int64_t extra = 0;
  {
    pqxx::nontransaction tx(*conn);
    extra = tx.exec1("SELECT count(*) - count(DISTINCT user_id) FROM saka_wallet")[0].as<std::int64_t>();
  }
  DropSchema(*conn, schema);
  ASSERT_EQ(r.error, "") << r.verdict_reason;
  const CheckResult* c = RaceReturnsCheck(r);
  ASSERT_NE(c, nullptr);
  ::testing::Test::RecordProperty("extra_wallets", static_cast<int>(extra));
  if (extra > 0) {
    EXPECT_FALSE(c->passed) << extra << " extra wallet(s), yet: " << c->message;
    EXPECT_EQ(c->message.find("0 user(s) given different ids"), std::string::npos) << c->message;
  } else {
    EXPECT_TRUE(c->passed) << "no duplicate, every caller saw the one wallet: " << c->message;
  }
}

}  // namespace
}  // namespace ledgerstress
