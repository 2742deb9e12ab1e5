// A statement's `rows`/`otherwise`: what the loader compiles and every
// error, with its position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/operations/sql_operation.h"
#include "harness/scenario/scenario_loader.h"
#include "tests/replace_once.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using testing::LoadError;
using testing::ReplaceOnce;

const char kBooking[] = R"toml([schema]
sql = "CREATE TABLE booking (seat int PRIMARY KEY, key text NOT NULL)"

[[operation]]
name = "book"
params.seat = { int = [1, 5] }
params.key = { unique = true }
statements = [
  { sql = "INSERT INTO booking VALUES (:seat, :key) ON CONFLICT (seat) DO NOTHING", rows = 1, otherwise = "no_effect" },
]
durable = "SELECT seat FROM booking WHERE key = :key"

[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
mix.book = 1
)toml";

std::string WithEdit(const std::string& from, const std::string& to) {
  return LoadError(ReplaceOnce(kBooking, from, to));
}

TEST(RowsRule, CompilesTheCountAndWhatElseTheCallIs) {
  const Scenario s = ParseScenario(kBooking, "s.toml");
  const SqlStatement& st = s.operations->Find("book")->sql->statements[0];
  EXPECT_EQ(st.rows, 1);
  EXPECT_EQ(st.otherwise, SqlStatement::Otherwise::kNoEffect);
  const Scenario e = ParseScenario(ReplaceOnce(kBooking, "\"no_effect\"", "\"expected\""), "s.toml");
  EXPECT_EQ(e.operations->Find("book")->sql->statements[0].otherwise, SqlStatement::Otherwise::kExpected);
  const Scenario d = ParseScenario(ReplaceOnce(kBooking, ", otherwise = \"no_effect\"", ""), "s.toml");
  EXPECT_EQ(d.operations->Find("book")->sql->statements[0].otherwise, SqlStatement::Otherwise::kError)
      << "without otherwise, another count is an error";
}

TEST(RowsRule, EachMistakeIsAnErrorAtItsPosition) {
  EXPECT_THAT(WithEdit("\"no_effect\"", "\"skip\""),
              HasSubstr("s.toml:9:107: 'otherwise' must be one of 'no_effect', 'expected', 'error'"));
  EXPECT_THAT(WithEdit("rows = 1", "rows = -1"), HasSubstr("'rows' must be an integer >= 0"));
  EXPECT_THAT(WithEdit("rows = 1, ", ""), HasSubstr("'otherwise' needs 'rows'"));
  EXPECT_THAT(WithEdit("rows = 1", "gset = true, rows = 1"), HasSubstr("'rows' does not apply"));
  EXPECT_THAT(WithEdit("durable =", "transaction = false\ndurable ="),
              HasSubstr("needs transaction = true: the statements before this one must be rolled back"));
}

}  // namespace
}  // namespace ledgerstress
