#ifndef LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_OPS_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_OPS_H_

#include <memory>
#include <string>

#include "harness/drivers/driver_client.h"
#include "harness/operations/call.h"
#include "harness/operations/operation.h"
#include "harness/operations/sql_operation.h"

namespace ledgerstress {

// The call of `def` under the driver's `strategy`: its arguments (drawn by
// the row's `draw`, as for the built-in code) sent as a JSON object with
// the row's argument names, to the worker's driver (CallContext::driver).
// What the driver reports of its attempts, backoffs and statements goes to
// the call's observer. Throws as DriverClient::Call does.
OperationFn BindDriverCall(const OperationDef& def, const std::string& strategy);

// The call of a scenario's declared operation (an [[operation]] without
// statements) under the driver's `strategy`: its params drawn with the
// scenario's generators and `vars`, sent by name (ints as JSON numbers,
// amounts, choices and the key as strings); CallContext::drawn points at
// them afterwards. A `fail` whose SQLSTATE the operation declares
// `expected` counts as a business refusal (DriverCallRefused).
OperationFn BindDeclaredDriverCall(std::shared_ptr<const SqlOperation> op, const VarValues& vars,
                                   const std::string& strategy);

// Hands what a driver reported of a call (statements, attempts, backoffs)
// to the call's observer.
void AccountDriverReport(settlement::Observer& observer, const DriverCallReport& report);

// The JSON object of one call's arguments. Amounts are exact decimal
// strings ("12.50"); `key` is the call's idempotency key.
std::string ArgsJson(const OperationDef& def, const CallContext& ctx, const CallArgs& args);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_OPS_H_
