#include "model/verdict.h"

#include <ostream>

namespace ledgerstress {

std::string VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPending: return "";
    case Verdict::kSkipped: return "skipped";
    case Verdict::kPass: return "pass";
    case Verdict::kCaught: return "caught";
    case Verdict::kFail: return "fail";
    case Verdict::kError: return "error";
    case Verdict::kInterrupted: return "interrupted";
    case Verdict::kInvalid: return "invalid";
  }
  return "?";
}

bool ParseVerdict(const std::string& name, Verdict* out) {
  for (Verdict v : {Verdict::kPending, Verdict::kSkipped, Verdict::kPass, Verdict::kCaught, Verdict::kFail,
                    Verdict::kError, Verdict::kInterrupted, Verdict::kInvalid}) {
    if (name == VerdictName(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

void PrintTo(Verdict v, std::ostream* os) { *os << "Verdict(" << VerdictName(v) << ")"; }

}  // namespace ledgerstress
