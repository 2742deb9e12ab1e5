#ifndef LEDGERSTRESS_REPORTS_CLOSE_TABLE_H_
#define LEDGERSTRESS_REPORTS_CLOSE_TABLE_H_

#include <string>

#include "model/run_result.h"
#include "model/text.h"

namespace ledgerstress {

// For the cases of the close workload, side by side: strategy, escrows,
// close time and its ratio to the fastest set_based case of the run,
// statements and round trips issued by the close (observer) and seen by the
// server (pg_stat_statements, every session), max rows locked at once in
// escrow_contract and wallet, max lock waiters, p99 of the background
// operations during the close (marked * when from the intended start: the
// case has an arrival_rate), and the verdict. No rows when no case closes.
TextTable CloseTable(const RunResult& run);
// The same as text; "" when no case closes.
std::string RenderCloseTable(const RunResult& run);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_CLOSE_TABLE_H_
