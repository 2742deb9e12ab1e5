#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CASE_READER_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CASE_READER_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The parse layer of the scenario loader: TOML tables flattened into the
// fields of one case, with where each came from, and typed access to them
// that fails with the value's position. The checks of what the values mean
// together are in case_check.h; which keys exist, in case_keys.h.

// One value of a case with where it came from, for messages.
struct Field {
  const toml::node* node;
  std::string where;  // "file:line:col" or "--set key=value"
};
// Sub-table keys are "table.key" ("mix.deposit").
using Fields = std::map<std::string, Field>;

// Throws ScenarioError "where: message".
[[noreturn]] void Fail(const std::string& where, const std::string& message);
// "path:line:col", or "path" when the region has no position.
std::string Where(const std::string& path, const toml::source_region& r);
bool Contains(const std::vector<std::string>& v, const std::string& s);
// "a string", "an integer", ... for messages.
std::string TypeName(const toml::node& n);
// "'a', 'b', 'c'"
std::string Quoted(const std::vector<std::string>& names);

// The keys a case may have: `keys` (case_keys.h's names), of which
// `tables` hold sub-keys ("mix", "strategy", ...).
struct KeySet {
  std::vector<std::string> keys;
  std::vector<std::string> tables;
};

// Flattens one layer ([defaults] or a [[case]]) into fields. Throws
// ScenarioError on an unknown key (with a suggestion) or a table key that
// is not a table.
Fields CollectLayer(const toml::table& t, const std::string& path, const KeySet& keys);

// Lays `layer` over `acc`: later layers win, and choosing one key of an
// exclusive pair drops the other from earlier layers (both in one layer is
// an error).
void Overlay(const Fields& layer, const std::vector<std::pair<std::string, std::string>>& exclusive, Fields* acc);

// Parses "key=value" from --set or --vary (`flag`). The value is read as
// TOML when it parses as one (10, 0.5, true, "x", [..]) and as a bare string
// otherwise (15s); the parsed value lives in *storage.
Fields OverrideLayer(const std::string& flag, const std::string& assignment, const KeySet& keys,
                     std::deque<toml::table>* storage);

// Typed access to a case's fields. Each getter returns `fallback` when the
// key is absent (or, with `required`, throws that it is missing) and throws
// ScenarioError at the value's position when it has the wrong type or is
// out of range.
class CaseReader {
 public:
  CaseReader(const Fields& fields, std::string case_where, std::string case_name)
      : fields_(fields), case_where_(std::move(case_where)), case_name_(std::move(case_name)) {}

  const Field* Find(const std::string& key) const;
  [[noreturn]] void Missing(const std::string& key) const;

  std::string String(const std::string& key, const std::string& fallback, bool required = false) const;
  std::int64_t Integer(const std::string& key, std::int64_t lo, std::int64_t hi, std::int64_t fallback,
                       bool required = false) const;
  double Number(const std::string& key, double lo, double hi, double fallback) const;
  bool Bool(const std::string& key, bool fallback) const;
  // A duration such as "15s", "500ms" or "2m".
  std::chrono::milliseconds Duration(const std::string& key, std::chrono::milliseconds fallback) const;
  // A rate such as 0.05 or "0.029": exact, at most 6 decimals, 0..1; in parts per million.
  std::int64_t RatePpm(const std::string& key, std::int64_t fallback) const;
  // An array of names, each from `allowed` (`what` names them in messages).
  std::vector<std::string> Names(const std::string& key, const std::vector<std::string>& allowed,
                                 const char* what) const;
  // Keys under "table." with their fields, in key order.
  std::vector<std::pair<std::string, const Field*>> Sub(const std::string& table) const;

 private:
  const Fields& fields_;
  std::string case_where_;
  std::string case_name_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CASE_READER_H_
