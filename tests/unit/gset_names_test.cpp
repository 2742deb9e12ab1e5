// The loader checks the names a statement reads from earlier gset
// statements as far as their text tells the columns (no server needed):
// an undefined parameter is no longer masked by an earlier gset, and a gset
// column named like a params entry is an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/replace_once.h"
#include "tests/unit/load_error.h"

namespace ledgerstress {
namespace {

using ::testing::HasSubstr;
using testing::LoadError;
using testing::ReplaceOnce;

const char kCounter[] = R"toml([schema]
sql = "CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL)"
[[operation]]
name = "bump"
params.id = { int = [1, 5] }
statements = [
  { sql = "SELECT v AS old FROM counter WHERE id = :id", gset = true },
  "UPDATE counter SET v = :old + 1 WHERE id = :id",
]
[[case]]
name = "c"
workload = "ledger"
workers = 2
duration = "1s"
mix.bump = 1
)toml";

TEST(GsetNames, ANameTheEarlierGsetDoesNotReturnIsUndefined) {
  EXPECT_EQ(LoadError(kCounter), "(no error)");
  EXPECT_THAT(LoadError(ReplaceOnce(kCounter, "SET v = :old + 1", "SET v = :olds + 1")),
              HasSubstr("s.toml:8:3: undefined parameter ':olds' in operation 'bump', statement 2 (did you mean "
                        "'old'?): it is not in params, and no earlier statement with gset = true returns a column of "
                        "that name (they return: old)"));
}

TEST(GsetNames, AGsetWhoseColumnsTheTextCannotTellDefersToTheServer) {
  const std::string star = ReplaceOnce(kCounter, "SELECT v AS old FROM", "SELECT *, v AS old FROM");
  EXPECT_EQ(LoadError(ReplaceOnce(star, "SET v = :old + 1", "SET v = :v + 1")), "(no error)");
}

TEST(GsetNames, AGsetColumnNamedLikeAParameterIsAnError) {
  EXPECT_THAT(LoadError(ReplaceOnce(kCounter, "SELECT v AS old FROM", "SELECT v AS old, id FROM")),
              HasSubstr("s.toml:7:3: operation 'bump', statement 1: gset column 'id' has the name of params.id, which "
                        "statements read as :id instead: rename the column (AS another_name) or the parameter"));
}

TEST(GsetNames, AColumnOfAStatementWithoutGsetMayShareAParametersName) {
  EXPECT_EQ(LoadError(ReplaceOnce(kCounter, "\"UPDATE counter SET v = :old + 1 WHERE id = :id\"",
                                  "\"UPDATE counter SET v = :old + 1 WHERE id = :id RETURNING id\"")),
            "(no error)");
}

}  // namespace
}  // namespace ledgerstress
