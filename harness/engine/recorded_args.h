#ifndef LEDGERSTRESS_HARNESS_ENGINE_RECORDED_ARGS_H_
#define LEDGERSTRESS_HARNESS_ENGINE_RECORDED_ARGS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "harness/operations/call.h"
#include "harness/operations/operation.h"

namespace ledgerstress {

// Which arguments of an operation's calls the client history records, so
// that acknowledged_writes_durable can compare the row a call left with
// what the call asked for (the row of a deposit belongs to its user and
// carries its amount). Built once per case per operation; Append is const
// and called by each worker thread on its own output.
struct ArgRecorder {
  std::vector<std::string> names;  // recorded, in order (ClientHistory::Operation::arg_names)
  // An SQL operation's calls draw their own values (CallContext::drawn):
  // the slot of each name. Empty for the built-in rows (CallArgs fields).
  std::vector<std::size_t> slots;

  // Appends the call's values of `names`, joined by
  // ClientHistory::kArgSeparator. An SQL operation's call that drew nothing
  // (it failed before drawing) appends nothing.
  void Append(const CallContext& ctx, const CallArgs& args, std::string* out) const;
};

// The built-in rows record their `args` but the key and the weights; an
// SQL operation records its params but those drawn as the key.
ArgRecorder RecorderFor(const OperationDef& def);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_RECORDED_ARGS_H_
