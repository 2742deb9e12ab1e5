// Each SAKA wallet strategy under 100 concurrent callers on one user, through
// the real engine against the embedded cluster.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/engine.h"
#include "harness/engine/fixtures.h"
#include "settlement/saka_wallet.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

using testing::ClusterTarget;
using testing::ConnectToSchema;
using testing::FreshSchemaName;
using testing::TestRunId;

struct RaceParam {
  const char* strategy;
  bool unique;
  bool duplicates_expected;
};

void PrintTo(const RaceParam& p, std::ostream* os) {
  *os << p.strategy << (p.unique ? " with" : " without") << " the unique constraint";
}

CaseSpec RaceCase(const RaceParam& p) {
  CaseSpec c;
  c.name = std::string(p.strategy) + (p.unique ? "/unique" : "/no_unique");
  c.workers = 100;
  c.calls_per_worker = 1;
  c.rounds = 5;
  c.mix["saka_get_or_create_wallet"] = 1;
  c.strategies["saka_get_or_create_wallet"] = p.strategy;
  c.schema_options["saka_unique_user"] = p.unique;
  c.invariants = {"one_wallet_per_user"};
  c.expect = p.duplicates_expected ? Expectation::kViolation : Expectation::kPass;
  c.seed = 1;
  return c;
}

class SakaRace : public ::testing::TestWithParam<RaceParam> {};

TEST_P(SakaRace, HundredConcurrentCallersGiveTheExpectedWalletCount) {
  const RaceParam p = GetParam();
  StopSource stop;
  CaseRunner runner(CaseRunner::Options{ClusterTarget(), TestRunId(), /*keep_data=*/true, ""}, &stop);
  CaseProgress progress;
  const std::string schema = FreshSchemaName();
  const CaseResult r = runner.Run(RaceCase(p), schema, &progress);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].calls, 500u);
  ASSERT_EQ(r.invariants.size(), 1u);
  const InvariantResult& inv = r.invariants[0];

  // What the report claims must be what the tables hold.
  auto conn = ConnectToSchema(schema);
  pqxx::nontransaction tx(*conn);
  const pqxx::row t = tx.exec1(
      "SELECT count(*) - count(DISTINCT user_id), count(DISTINCT user_id) FROM saka_wallet");
  EXPECT_EQ(inv.details.at("extra_wallets"), t[0].as<double>());
  EXPECT_EQ(t[1].as<int>(), 5) << "every round's user must end up with a wallet";

  if (p.duplicates_expected) {
    EXPECT_EQ(inv.status, "violated") << "no duplicates in 5 races of 100 callers";
    EXPECT_GT(t[0].as<int>(), 0);
    EXPECT_EQ(r.verdict, Verdict::kCaught);
    EXPECT_FALSE(inv.samples.empty());
  } else {
    EXPECT_EQ(inv.status, "held") << inv.message;
    EXPECT_EQ(t[0].as<int>(), 0);
    EXPECT_EQ(r.operations[0].errors(), 0u) << (r.operations[0].error_samples.empty()
                                                    ? ""
                                                    : r.operations[0].error_samples[0]);
    EXPECT_EQ(r.verdict, Verdict::kPass);
  }
  tx.exec("DROP SCHEMA " + tx.quote_name(schema) + " CASCADE");
}

INSTANTIATE_TEST_SUITE_P(
    Strategies, SakaRace,
    ::testing::Values(RaceParam{"get_or_create", false, true}, RaceParam{"select_for_update", false, true},
                      RaceParam{"get_or_create", true, false}, RaceParam{"select_for_update", true, false},
                      RaceParam{"insert_on_conflict", true, false}),
    [](const ::testing::TestParamInfo<RaceParam>& i) {
      return std::string(i.param.strategy) + (i.param.unique ? "_unique" : "_no_unique");
    });

TEST(SakaGetOrCreateWallet, SecondCallReturnsTheSameWalletForEveryStrategy) {
  const std::string schema = FreshSchemaName();
  auto conn = ConnectToSchema(schema);
  const Fixture f = CreateFixture(*conn, FixtureSpec{schema, {{"saka_unique_user", true}}, 3});
  {
    pqxx::nontransaction tx(*conn);
    tx.exec("SET search_path = " + tx.quote_name(schema));
  }
  settlement::NoopObserver obs;
  std::int64_t user = f.first_user_id;
  for (auto s : {settlement::SakaStrategy::kGetOrCreate, settlement::SakaStrategy::kSelectForUpdate,
                 settlement::SakaStrategy::kInsertOnConflict}) {
    const auto first = settlement::SakaGetOrCreateWallet(*conn, user, s, obs);
    const auto second = settlement::SakaGetOrCreateWallet(*conn, user, s, obs);
    EXPECT_TRUE(first.created) << settlement::SakaStrategyName(s);
    EXPECT_FALSE(second.created) << settlement::SakaStrategyName(s);
    EXPECT_EQ(first.wallet_id, second.wallet_id) << settlement::SakaStrategyName(s);
    ++user;
  }
  DropSchema(*conn, schema);
}

TEST(SakaGetOrCreateWallet, ReportsDuplicatesLikeDjangoGet) {
  const std::string schema = FreshSchemaName();
  auto conn = ConnectToSchema(schema);
  const Fixture f = CreateFixture(*conn, FixtureSpec{schema, {{"saka_unique_user", false}}, 1});
  {
    pqxx::nontransaction tx(*conn);
    tx.exec("SET search_path = " + tx.quote_name(schema));
    tx.exec_params("INSERT INTO saka_wallet (user_id) VALUES ($1), ($1)", f.first_user_id);
  }
  settlement::NoopObserver obs;
  EXPECT_THROW(settlement::SakaGetOrCreateWallet(*conn, f.first_user_id, settlement::SakaStrategy::kGetOrCreate, obs),
               settlement::MultipleWalletsError);
  DropSchema(*conn, schema);
}

}  // namespace
}  // namespace ledgerstress
