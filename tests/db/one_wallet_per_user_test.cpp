// The one_wallet_per_user invariant fires on a seeded violation and holds on
// clean data.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "harness/engine/fixtures.h"
#include "harness/invariants/invariants.h"
#include "settlement/connection.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress {
namespace {

class OneWalletPerUser : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = testing::FreshSchemaName();
    conn_ = testing::ConnectToSchema(schema_);
    fixture_ = CreateFixture(*conn_, FixtureSpec{schema_, {{"saka_unique_user", false}}, 20});
  }
  void TearDown() override { DropSchema(*conn_, schema_); }

  void Exec(const std::string& sql) {
    pqxx::nontransaction tx(*conn_);
    tx.exec(sql);
  }
  std::string User(int i) const { return std::to_string(fixture_.first_user_id + i); }

  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  Fixture fixture_;
};

TEST_F(OneWalletPerUser, HoldsWhenEveryUserHasOneWallet) {
  for (int i = 0; i < 5; ++i) Exec("INSERT INTO saka_wallet (user_id) VALUES (" + User(i) + ")");
  const InvariantResult r = CheckInvariant(*conn_, "one_wallet_per_user");
  EXPECT_EQ(r.status, "held") << r.message;
  EXPECT_EQ(r.violations, 0u);
  EXPECT_TRUE(r.samples.empty());
  EXPECT_EQ(r.details.at("saka_wallets"), 5);
}

TEST_F(OneWalletPerUser, HoldsOnAnEmptyTable) {
  EXPECT_EQ(CheckInvariant(*conn_, "one_wallet_per_user").status, "held");
}

TEST_F(OneWalletPerUser, FiresOnASeededDuplicateWithSampleRows) {
  Exec("INSERT INTO saka_wallet (user_id) VALUES (" + User(0) + "), (" + User(1) + "), (" + User(1) + "), (" +
       User(1) + ")");
  const InvariantResult r = CheckInvariant(*conn_, "one_wallet_per_user");
  EXPECT_EQ(r.status, "violated");
  EXPECT_EQ(r.violations, 1u);
  EXPECT_EQ(r.details.at("extra_wallets"), 2);
  EXPECT_EQ(r.details.at("max_wallets_per_user"), 3);
  ASSERT_EQ(r.samples.size(), 1u);
  ASSERT_EQ(r.sample_columns.size(), r.samples[0].size());
  EXPECT_EQ(r.samples[0][1], User(1));  // user_id column
  EXPECT_EQ(r.samples[0][2], "3");      // wallets column
}

TEST_F(OneWalletPerUser, CountsEveryViolationButSamplesAtMostTen) {
  for (int i = 0; i < 12; ++i) {
    Exec("INSERT INTO saka_wallet (user_id) VALUES (" + User(i) + "), (" + User(i) + ")");
  }
  const InvariantResult r = CheckInvariant(*conn_, "one_wallet_per_user");
  EXPECT_EQ(r.violations, 12u);
  EXPECT_EQ(r.samples.size(), 10u);
}

TEST_F(OneWalletPerUser, ACheckThatCannotRunIsAnErrorNotAPass) {
  Exec("DROP TABLE saka_wallet");
  const InvariantResult r = CheckInvariant(*conn_, "one_wallet_per_user");
  EXPECT_EQ(r.status, "error");
  EXPECT_NE(r.message.find("saka_wallet"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace ledgerstress
