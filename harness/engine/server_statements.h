#ifndef LEDGERSTRESS_HARNESS_ENGINE_SERVER_STATEMENTS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SERVER_STATEMENTS_H_

#include "model/run_result.h"

namespace ledgerstress {

// Statements per call for an operation nobody counted (a driver that does
// not report them), from the server: pg_stat_statements cannot tell one
// session or one operation from another, so the rule is one of
// attribution. When exactly one operation of the case has calls and no
// count, the server's count of the measured phase is known
// (r->server.statements_delta, every session of the database but the
// monitor's) and counts what the harness counts (top-level statements,
// BEGIN and COMMIT included), and no fault injector ran statements of its
// own, that operation's statements are the server's count minus every
// other operation's, with statements_source "server". Otherwise the
// operation stays not measured and its statements_missing says why.
//
// `injector_ran`: a deadlock injector ran in the case (its statements are
// in the server's count too).
void AttributeServerStatements(bool injector_ran, CaseResult* r);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SERVER_STATEMENTS_H_
