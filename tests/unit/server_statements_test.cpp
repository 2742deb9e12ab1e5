// Statements of a driver that does not report them, from the server's
// count: attributed only when they can only be one operation's.
#include "harness/engine/server_statements.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

OperationResult Op(const std::string& name, std::uint64_t calls, std::int64_t statements) {
  OperationResult op;
  op.name = name;
  op.calls = calls;
  if (statements < 0) {
    op.statements_measured = false;
    op.statements_source = "driver";
    op.statements_missing = "the driver does not report them";
  } else {
    op.statements = static_cast<std::uint64_t>(statements);
  }
  return op;
}

CaseResult Case(std::int64_t server_delta, std::vector<OperationResult> ops) {
  CaseResult r;
  r.server.statements_delta = server_delta;
  r.operations = std::move(ops);
  return r;
}

TEST(AttributeServerStatements, TheOnlyUncountedOperationGetsTheServersCountMinusTheOthers) {
  CaseResult r = Case(1000, {Op("deposit", 100, -1), Op("pledge_funds", 50, 400)});
  AttributeServerStatements(false, &r);
  EXPECT_TRUE(r.operations[0].statements_measured);
  EXPECT_EQ(r.operations[0].statements, 600u);
  EXPECT_EQ(r.operations[0].statements_source, "server");
  EXPECT_EQ(r.operations[0].statements_missing, "");
  EXPECT_EQ(r.operations[1].statements, 400u) << "a counted operation is left as it is";
  EXPECT_EQ(r.operations[1].statements_source, "harness");
}

TEST(AttributeServerStatements, TwoUncountedOperationsCannotBeSplit) {
  CaseResult r = Case(1000, {Op("deposit", 100, -1), Op("pledge_funds", 50, -1)});
  AttributeServerStatements(false, &r);
  for (const OperationResult& op : r.operations) {
    EXPECT_FALSE(op.statements_measured);
    EXPECT_NE(op.statements_missing.find("cannot be split between deposit, pledge_funds"), std::string::npos)
        << op.statements_missing;
  }
}

TEST(AttributeServerStatements, AnOperationWithoutCallsDoesNotMakeItAmbiguous) {
  CaseResult r = Case(300, {Op("deposit", 50, -1), Op("pledge_funds", 0, -1)});
  AttributeServerStatements(false, &r);
  EXPECT_TRUE(r.operations[0].statements_measured);
  EXPECT_EQ(r.operations[0].statements, 300u);
}

TEST(AttributeServerStatements, NotWhenTheInjectorRanOrTheCountIsMissingOrCountedOtherwise) {
  CaseResult injected = Case(1000, {Op("pledge_funds", 100, -1)});
  AttributeServerStatements(true, &injected);
  EXPECT_FALSE(injected.operations[0].statements_measured);
  EXPECT_NE(injected.operations[0].statements_missing.find("deadlock injector"), std::string::npos);

  CaseResult missing = Case(-1, {Op("pledge_funds", 100, -1)});
  missing.server.missing = "the server was crashed during the case";
  AttributeServerStatements(false, &missing);
  EXPECT_FALSE(missing.operations[0].statements_measured);
  EXPECT_NE(missing.operations[0].statements_missing.find("server was crashed"), std::string::npos);

  CaseResult all = Case(1000, {Op("pledge_funds", 100, -1)});
  all.server.statements_caveat = "pg_stat_statements.track = 'all' (not 'top')";
  AttributeServerStatements(false, &all);
  EXPECT_FALSE(all.operations[0].statements_measured);
  EXPECT_NE(all.operations[0].statements_missing.find("track = 'all'"), std::string::npos);

  CaseResult fewer = Case(100, {Op("deposit", 10, -1), Op("pledge_funds", 50, 400)});
  AttributeServerStatements(false, &fewer);
  EXPECT_FALSE(fewer.operations[0].statements_measured);
  EXPECT_NE(fewer.operations[0].statements_missing.find("fewer"), std::string::npos);
}

}  // namespace
}  // namespace ledgerstress
