#ifndef LEDGERSTRESS_REPORTS_JUNIT_REPORT_H_
#define LEDGERSTRESS_REPORTS_JUNIT_REPORT_H_

#include <string>

#include "model/run_result.h"

namespace ledgerstress {

// The run as JUnit XML for CI: one <testsuite> per run, one <testcase> per
// case × invariant and per case × check (error rate, thresholds), with
// classname "<scenario>/<case>". <failure> when the invariant or check went
// against the case's expectation (a violation in a case expected to pass, a
// named violation not seen in a known-bad case, a crossed threshold);
// <error> when the harness itself broke; <skipped> when the case did not
// run. Details are repeated in the element text. Characters XML 1.0 forbids
// are dropped.
std::string RenderJunitReport(const RunResult& run);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_JUNIT_REPORT_H_
