// pledges_into_closing: half the background pledges go to the project two
// closers are closing. A pledge that gets in before the close finishes is
// released by it or keeps the project open; one after it is refused
// (ProjectNotFunding: outcome "expected", not an error). Never a LOCKED
// escrow on a SUCCESS project, never an escrow released twice.
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "settlement/close_project.h"
#include "harness/engine/worker.h"  // before ledger_case.h, whose Outcome() hides the enum's name
#include "harness/operations/call.h"
#include "tests/db/ledger_case.h"

namespace ledgerstress {
namespace {

CaseSpec IntoClosingCase(const std::string& strategy) {
  CaseSpec c;
  c.name = "into_closing/" + strategy;
  c.workload = Workload::kClose;
  c.workers = 4;
  c.close.escrows = 300;
  c.close.projects = 1;
  c.close.closers_per_project = 2;
  c.donors = 50;
  c.close.pledges_into_closing = 0.5;
  c.mix = {{"pledge_funds", 3}, {"deposit", 1}};
  c.strategies = {{"pledge_funds", "default"}, {"deposit", "default"}, {"close_project_success", strategy}};
  c.invariants = {"no_stranded_escrow", "release_split_exact", "money_conserved", "balances_match_ledger",
                  "no_negative_balance", "idempotent"};
  c.seed = 13;
  return c;
}

class PledgesIntoClosing : public ::testing::TestWithParam<const char*> {};

TEST_P(PledgesIntoClosing, EveryPledgeIntoTheClosingProjectIsReleasedKeepsItOpenOrIsRefusedAsExpected) {
  const CaseSpec spec = IntoClosingCase(GetParam());
  StopSource stop;
  CaseRunner runner(CaseRunner::Options{testing::ClusterTarget(), testing::TestRunId(), /*keep_data=*/true, ""}, &stop);
  CaseProgress progress;
  const std::string schema = testing::FreshSchemaName();
  const CaseResult r = runner.Run(spec, schema, &progress);

  // What the tables hold for the closed project, before the schema goes.
  auto conn = testing::ConnectToSchema(schema);
  std::string status;
  std::int64_t released = 0, pledged_released = 0, pledged_locked = 0;
  if (!r.closes.empty()) {
    pqxx::nontransaction tx(*conn);
    const std::int64_t project = r.closes[0].project_id;
    status = tx.exec_params1("SELECT status FROM project WHERE id = $1", project)[0].as<std::string>();
    const pqxx::row e = tx.exec_params1(
        "SELECT count(*) FILTER (WHERE status = 'RELEASED'),"
        "       count(*) FILTER (WHERE status = 'RELEASED' AND idempotency_key NOT LIKE 'fx-%'),"
        "       count(*) FILTER (WHERE status = 'LOCKED' AND idempotency_key NOT LIKE 'fx-%')"
        "  FROM escrow_contract WHERE project_id = $1",
        project);
    released = e[0].as<std::int64_t>();
    pledged_released = e[1].as<std::int64_t>();
    pledged_locked = e[2].as<std::int64_t>();
  }
  DropSchema(*conn, schema);

  ASSERT_EQ(r.error, "") << r.verdict_reason;
  ASSERT_EQ(r.closes.size(), 2u) << "two closers on one project";
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.verdict_reason;
  ExpectInvariantsHold(r, spec);
  for (const CheckResult& c : r.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.message;
  for (const CloseCall& c : r.closes) EXPECT_EQ(c.error, "") << "closer " << c.closer;
  EXPECT_EQ(r.closes[0].released + r.closes[1].released, released)
      << "the two closers together released each RELEASED escrow exactly once";
  EXPECT_GE(released, 300) << "every fixture escrow was LOCKED before the close";
  const OperationResult& pledges = Pledges(r);
  EXPECT_EQ(pledges.errors(), 0u) << (pledges.error_samples.empty() ? "" : pledges.error_samples[0]);
  const std::uint64_t refused = Outcome(pledges, "expected");
  ::testing::Test::RecordProperty("refused_as_expected", static_cast<int>(refused));
  ::testing::Test::RecordProperty("pledges_released_by_the_close", static_cast<int>(pledged_released));
  ::testing::Test::RecordProperty("pledges_left_locked", static_cast<int>(pledged_locked));
  ::testing::Test::RecordProperty("project_status", status);
  EXPECT_GT(refused + static_cast<std::uint64_t>(pledged_released + pledged_locked), 0u)
      << "half the pledges aim at the closing project: some got in (released or LOCKED) or were refused";
  if (refused > 0) {
    EXPECT_EQ(status, "SUCCESS") << "only a closed project refuses a pledge (ProjectNotFunding)";
  }
  if (status == "SUCCESS") {
    EXPECT_EQ(pledged_locked, 0) << "a SUCCESS project with a LOCKED escrow: stranded";
    EXPECT_EQ(r.closes[0].marked_success + r.closes[1].marked_success, 1) << "exactly one closer marked it";
  } else {
    EXPECT_EQ(status, "FUNDING");
    EXPECT_GT(pledged_locked, 0) << "a close leaves the project open only for a LOCKED escrow that got in late";
    EXPECT_EQ(r.closes[0].marked_success + r.closes[1].marked_success, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Strategies, PledgesIntoClosing, ::testing::Values("per_escrow", "keyset"),
                         [](const ::testing::TestParamInfo<const char*>& i) { return std::string(i.param); });

// The refusal itself, made certain: the project is closed first, then the
// built-in pledge operation (as a worker calls it) aims at it.
TEST(PledgeIntoAClosedProject, IsRefusedWithOutcomeExpectedAndWritesNothing) {
  const std::string schema = testing::FreshSchemaName();
  auto conn = testing::ConnectToSchema(schema);
  CreateFixture(*conn, FixtureSpec{schema, {}, 0});
  const CloseFixture fx = CreateCloseFixture(*conn, schema, CloseFixtureSpec{1, 20, 5, 1});
  settlement::NoopObserver noop;
  const settlement::CloseResult closed =
      settlement::CloseProjectSuccess(*conn, fx.project_ids[0], settlement::CloseStrategy::kKeyset, {}, noop);
  ASSERT_TRUE(closed.marked_success);

  Targets targets;
  targets.donor_first_user = fx.donor_first_user;
  targets.donors = fx.donors;
  targets.background_project = fx.background_project;
  targets.closing_projects = {fx.project_ids[0]};
  targets.into_closing = 1;  // every pledge aims at the closed project
  const OperationDef* def = BuiltinOperations().Find("pledge_funds");
  ASSERT_NE(def, nullptr);
  const OperationFn fn = def->bind("default");
  std::mt19937_64 rng(5);
  const std::string key = "into-closed";
  settlement::RetryPolicy retry;
  CountingObserver obs;
  CallContext ctx{conn.get(), nullptr, obs, rng, targets, 0, key, retry, 0, {}};
  CallArgs args;
  def->draw(ctx, &args);
  ASSERT_EQ(args.project_id, fx.project_ids[0]) << "into_closing = 1 draws the closing project";
  Classified c;
  try {
    fn(ctx, args);
    FAIL() << "a pledge into a SUCCESS project must be refused";
  } catch (...) {
    c = ClassifyCurrentException();
  }
  EXPECT_EQ(c.outcome, Outcome::kExpected) << "ProjectNotFunding is a business rule saying no: " << c.message;
  OperationResult op;
  op.calls = 1;
  op.outcomes[OutcomeName(c.outcome)] = 1;
  EXPECT_EQ(op.errors(), 0u) << "an expected refusal is not an error";
  {
    pqxx::nontransaction tx(*conn);
    EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM escrow_contract WHERE idempotency_key = $1", key)[0].as<int>(), 0)
        << "nothing written";
  }
  for (const char* inv : {"no_stranded_escrow", "money_conserved", "balances_match_ledger"}) {
    const InvariantResult r = CheckInvariant(*conn, inv);
    EXPECT_EQ(r.status, "held") << inv << ": " << r.message;
  }
  DropSchema(*conn, schema);
}

}  // namespace
}  // namespace ledgerstress
