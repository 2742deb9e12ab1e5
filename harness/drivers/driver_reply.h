#ifndef LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_REPLY_H_
#define LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_REPLY_H_

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/drivers/driver_client.h"
#include "harness/drivers/driver_process.h"

// The messages of ledgerstress.driver/1 as values: building init and call
// lines, reading init_ok and call replies. No I/O, no state: callable from
// any thread.
namespace ledgerstress {

// The reply's error object as one line ("deadlock detected"); *sqlstate
// gets error.sqlstate when there is one.
std::string ErrorText(const nlohmann::json& reply, std::string* sqlstate);

// The optional fields of a call's reply (attempts, backoffs_ms,
// sleeps_in_transaction, statements, value) into *report (may be null).
void ReadReport(const nlohmann::json& reply, DriverCallReport* report);

// The init message for a process serving `worker_ids` ("worker" is the
// first). With the driver's concurrency at 1 it is exactly the init of a
// driver of one worker per process; above 1 it adds "concurrency" and
// (but for the probe) "worker_ids".
nlohmann::json InitMessage(const DriverCase& c, const std::vector<int>& worker_ids, std::uint64_t seed);

// Reads an init_ok line: the operations and strategies it offers into
// *offered, its "concurrency" into *concurrency (1 when absent, 0 when not
// a positive integer: only a scenario asking for more refuses it). Returns
// what is wrong with it, "" when nothing is.
std::string ReadInitOk(const std::string& line, std::map<std::string, std::vector<std::string>>* offered,
                       int* concurrency);

// A call line. `worker` >= 0 adds "worker" (a shared process's calls say
// whose they are); -1 leaves the line as a process of one worker gets it.
std::string CallLine(std::int64_t id, const std::string& op, const std::string& strategy,
                     const std::string& args_json, int worker);

// What is wrong with a call reply that has a string type and an integer
// id: a type other than ok/fail/info, or an "effect" that is not a
// boolean. "" when nothing is.
std::string ReplyTypeProblem(const nlohmann::json& reply);

// The outcome of a well-formed reply (ReplyTypeProblem returned ""):
// returns on ok, throws CallTookNoEffect (ok, "effect": false, naming
// `who`), DriverCallRefused, DriverCallFailed or DriverCallInDoubt.
// Reads the optional fields into *report first.
void ApplyReply(const nlohmann::json& reply, const std::string& who, DriverCallReport* report);

// Why ReadLine returned no line ("did not answer", "closed its stdout (it
// exited or crashed)", ...); "" for kLine.
const char* ReadProblem(DriverProcess::Read r);

// A driver whose init_ok offers `takes` calls at once, fewer than its
// `concurrency` asks for: what to say (without a position).
std::string ConcurrencyShortfall(const DriverSpec& spec, int takes);

// `s`, cut to 200 characters for a message.
std::string Shorten(const std::string& s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_DRIVERS_DRIVER_REPLY_H_
