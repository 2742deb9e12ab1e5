// A test fixture the database tests share: a fresh schema with the built-in
// tables and a small close fixture (5 donors, one background project),
// dropped after the test.
#ifndef LEDGERSTRESS_TESTS_DB_SMALL_LEDGER_H_
#define LEDGERSTRESS_TESTS_DB_SMALL_LEDGER_H_

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "harness/engine/fixtures.h"
#include "tests/db/test_cluster.h"

namespace ledgerstress::testing {

class SmallLedger : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = FreshSchemaName();
    conn_ = ConnectToSchema(schema_);
    CreateFixture(*conn_, FixtureSpec{schema_, {}, 0});
    fx_ = CreateCloseFixture(*conn_, schema_, CloseFixtureSpec{0, 0, 5, 1});
  }
  void TearDown() override { DropSchema(*conn_, schema_); }

  std::string schema_;
  std::unique_ptr<settlement::Connection> conn_;
  CloseFixture fx_;
};

}  // namespace ledgerstress::testing

#endif  // LEDGERSTRESS_TESTS_DB_SMALL_LEDGER_H_
