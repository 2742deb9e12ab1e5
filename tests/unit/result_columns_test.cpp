// What a statement's text alone tells of the columns it returns: enough to
// check gset names without a server, and "incomplete" whenever unsure.
#include <gtest/gtest.h>

#include "harness/operations/result_columns.h"

namespace ledgerstress {
namespace {

using Names = std::vector<std::string>;

Names Complete(const std::string& sql) {
  const ResultColumns c = GuessResultColumns(sql);
  EXPECT_TRUE(c.complete) << sql;
  return c.names;
}

TEST(ResultColumns, AliasesReferencesAndCallsNameTheirColumns) {
  EXPECT_EQ(Complete("SELECT balance AS from_balance, a.id, count(*), b.v::int FROM account a WHERE id = :from"),
            (Names{"from_balance", "id", "count", "v"}));
  EXPECT_EQ(Complete("select Balance old, \"Mixed\" , sum(x) total FROM t FOR UPDATE"), (Names{"old", "Mixed", "total"}));
}

TEST(ResultColumns, ReturningListsAreRead) {
  EXPECT_EQ(Complete("INSERT INTO t (a) VALUES (:a) RETURNING id AS new_id, a"), (Names{"new_id", "a"}));
  EXPECT_EQ(Complete("UPDATE t SET v = v + 1 WHERE id = :id RETURNING v"), (Names{"v"}));
}

TEST(ResultColumns, TheMainSelectOfAWithQueryAndTheFirstOfAUnion) {
  EXPECT_EQ(Complete("SELECT a::double precision FROM t"), (Names{"a"}));
  EXPECT_EQ(Complete("WITH x AS (SELECT 1 AS inner_col) SELECT y FROM x UNION SELECT z FROM w"), (Names{"y"}));
  EXPECT_EQ(Complete("SELECT DISTINCT ON (a) a, b FROM t ORDER BY a"), (Names{"a", "b"}));
}

TEST(ResultColumns, WhatTheTextCannotTellIsIncomplete) {
  for (const char* sql : {"SELECT * FROM t", "SELECT t.* FROM t", "SELECT a + 1 FROM t", "SELECT :x",
                          "SELECT CASE WHEN a THEN 1 END FROM t", "SELECT CAST(a AS int) FROM t",
                          "SELECT '1'::int", "VALUES (1, 2)", "INSERT INTO t SELECT a FROM u",
                          "SELECT a::numeric n FROM t", "UPDATE t SET a = 1 RETURNING *"}) {
    EXPECT_FALSE(GuessResultColumns(sql).complete) << sql;
  }
  const ResultColumns mixed = GuessResultColumns("SELECT a AS known, b + 1 FROM t");
  EXPECT_FALSE(mixed.complete);
  EXPECT_EQ(mixed.names, (Names{"known"}));
}

TEST(ResultColumns, StringsCommentsAndQuotedWordsAreNotCode) {
  EXPECT_EQ(Complete("SELECT a AS x -- , b AS y\n FROM t"), (Names{"x"}));
  EXPECT_EQ(Complete("SELECT 'from' AS w, $$ returning $$ AS v /* , z */ FROM t"), (Names{"w", "v"}));
}

}  // namespace
}  // namespace ledgerstress
