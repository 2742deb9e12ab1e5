#ifndef LEDGERSTRESS_MODEL_VERDICT_H_
#define LEDGERSTRESS_MODEL_VERDICT_H_

#include <iosfwd>
#include <string>

namespace ledgerstress {

// How a case, a run or a sweep point ended: one enum for all of them. Code
// compares values; only the report writers spell them (VerdictName) and the
// report reader parses them back (ParseVerdict).
enum class Verdict {
  kPending,      // not decided yet (a run or sweep still going); spelled ""
  kSkipped,      // a case not reached (the run stopped before it)
  kPass,         // expected to pass, and every invariant and check held
  kCaught,       // a case expected to violate (a known-bad strategy), and the harness saw it
  kFail,         // an invariant, check or threshold broke, or an expected violation was missed
  kError,        // the harness or the server broke: no verdict on the code
  kInterrupted,  // SIGINT/SIGTERM
  kInvalid,      // a run refused before anything ran (a [[sql_invariant]] the server rejects)
};

// "", "skipped", "pass", "caught", "fail", "error", "interrupted", "invalid".
std::string VerdictName(Verdict v);
// The inverse of VerdictName; false for any other text.
bool ParseVerdict(const std::string& name, Verdict* out);

// For GoogleTest's messages: the name, not a number.
void PrintTo(Verdict v, std::ostream* os);

// A case's verdict passes the gate.
inline bool GatePasses(Verdict v) { return v == Verdict::kPass || v == Verdict::kCaught; }

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_VERDICT_H_
