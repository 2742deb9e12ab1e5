#ifndef LEDGERSTRESS_HARNESS_OPERATIONS_NO_EFFECT_H_
#define LEDGERSTRESS_HARNESS_OPERATIONS_NO_EFFECT_H_

#include <stdexcept>
#include <string>

namespace ledgerstress {

// Thrown by an operation whose call ended well but took no effect: an
// `INSERT ... ON CONFLICT DO NOTHING` that lost (an SQL statement's `rows`
// option said so), a driver's `ok` with `"effect": false`. The call's
// transaction, if any, is rolled back on the way out. The worker counts
// the outcome "no_effect" (not an error, not a call that took effect) and
// the client history requires that no row be found under the call's key.
class CallTookNoEffect : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_NO_EFFECT_H_
