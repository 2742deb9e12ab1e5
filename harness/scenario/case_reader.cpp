#include "harness/scenario/case_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "harness/scenario/duration.h"
#include "harness/scenario/sql_operation_loader.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress {

[[noreturn]] void Fail(const std::string& where, const std::string& message) {
  throw ScenarioError(where + ": " + message);
}

std::string Where(const std::string& path, const toml::source_region& r) {
  if (r.begin.line == 0) return path;
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
  }
}

std::string Quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

// Flattens one layer ([defaults], a [[case]] or --set) into fields; sub-table
// keys become "table.key".
Fields CollectLayer(const toml::table& t, const std::string& path, const KeySet& ks) {
  Fields out;
  for (auto&& [k, v] : t) {
    const std::string key(k.str());
    const std::string where = Where(path, k.source());
    if (!Contains(ks.keys, key)) {
      std::string hint = DidYouMean(key, ks.keys);
      if (hint.empty() && Contains(OperationKeyNames(), key)) hint = " (a key of [[operation]], not of a case)";
      Fail(where, "unknown key '" + key + "'" + hint);
    }
    if (Contains(ks.tables, key)) {
      if (!v.is_table()) Fail(Where(path, v.source()), "'" + key + "' must be a table, got " + TypeName(v));
      for (auto&& [sk, sv] : *v.as_table()) {
        out[key + "." + std::string(sk.str())] = Field{&sv, Where(path, sv.source())};
      }
    } else {
      out[key] = Field{&v, Where(path, v.source())};
    }
  }
  return out;
}

// Lays `layer` over `acc`: later layers win, and choosing one of an exclusive
// pair drops the other from earlier layers.
void Overlay(const Fields& layer, const std::vector<std::pair<std::string, std::string>>& exclusive, Fields* acc) {
  for (const auto& [a, b] : exclusive) {
    const bool has_a = layer.count(a) > 0, has_b = layer.count(b) > 0;
    if (has_a && has_b) {
      Fail(layer.at(b).where, "'" + a + "' and '" + b + "' exclude each other: keep one");
    }
    if (has_a) acc->erase(b);
    if (has_b) acc->erase(a);
  }
  for (const auto& [k, f] : layer) (*acc)[k] = f;
}

// Parses "key=value" from --set. The value is read as TOML when it parses as
// one (10, 0.5, true, "x", [..]) and as a bare string otherwise (15s).
Fields OverrideLayer(const std::string& flag, const std::string& assignment, const KeySet& ks,
                     std::deque<toml::table>* storage) {
  const std::string where = flag + " '" + assignment + "'";
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) Fail(where, "expected key=value");
  const std::string key = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  const auto dot = key.find('.');
  const std::string head = key.substr(0, dot);
  if (!Contains(ks.keys, head)) Fail(where, "unknown key '" + head + "'" + DidYouMean(head, ks.keys));
  if ((dot == std::string::npos) == Contains(ks.tables, head)) {
    Fail(where, Contains(ks.tables, head) ? "'" + head + "' is a table: set '" + head + ".KEY=VALUE'"
                                           : "'" + head + "' has no sub-keys");
  }
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    parsed = toml::table{{"v", value}};
  }
  storage->push_back(std::move(parsed));
  return Fields{{key, Field{storage->back().get("v"), where}}};
}

const Field* CaseReader::Find(const std::string& key) const {
  auto it = fields_.find(key);
  return it == fields_.end() ? nullptr : &it->second;
}

void CaseReader::Missing(const std::string& key) const {
  Fail(case_where_, "case '" + case_name_ + "' is missing required key '" + key + "'");
}

std::string CaseReader::String(const std::string& key, const std::string& fallback, bool required) const {
  const Field* f = Find(key);
  if (!f) {
    if (required) Missing(key);
    return fallback;
  }
  if (!f->node->is_string()) Fail(f->where, "'" + key + "' must be a string, got " + TypeName(*f->node));
  return f->node->as_string()->get();
}

std::int64_t CaseReader::Integer(const std::string& key, std::int64_t lo, std::int64_t hi,
                     std::int64_t fallback, bool required) const {
  const Field* f = Find(key);
  if (!f) {
    if (required) Missing(key);
    return fallback;
  }
  if (!f->node->is_integer()) Fail(f->where, "'" + key + "' must be an integer, got " + TypeName(*f->node));
  const std::int64_t v = f->node->as_integer()->get();
  if (v < lo || v > hi) {
    Fail(f->where, "'" + key + "' must be from " + std::to_string(lo) + " to " +
                       std::to_string(hi) + ", got " + std::to_string(v));
  }
  return v;
}

double CaseReader::Number(const std::string& key, double lo, double hi, double fallback) const {
  const Field* f = Find(key);
  if (!f) return fallback;
  double v;
  if (f->node->is_integer()) v = static_cast<double>(f->node->as_integer()->get());
  else if (f->node->is_floating_point()) v = f->node->as_floating_point()->get();
  else Fail(f->where, "'" + key + "' must be a number, got " + TypeName(*f->node));
  if (!(v >= lo && v <= hi)) {
    std::ostringstream m;
    m << "'" << key << "' must be from " << lo << " to " << hi << ", got " << v;
    Fail(f->where, m.str());
  }
  return v;
}

bool CaseReader::Bool(const std::string& key, bool fallback) const {
  const Field* f = Find(key);
  if (!f) return fallback;
  if (!f->node->is_boolean()) Fail(f->where, "'" + key + "' must be true or false, got " + TypeName(*f->node));
  return f->node->as_boolean()->get();
}

std::chrono::milliseconds CaseReader::Duration(const std::string& key, std::chrono::milliseconds fallback) const {
  const Field* f = Find(key);
  if (!f) return fallback;
  std::chrono::milliseconds d;
  if (!f->node->is_string() || !ParseDuration(f->node->as_string()->get(), &d)) {
    Fail(f->where, "'" + key + "' must be a duration such as \"15s\", \"500ms\" or \"2m\"");
  }
  return d;
}

// A rate such as 0.05 or "0.029": exact, at most 6 decimals, 0..1.
std::int64_t CaseReader::RatePpm(const std::string& key, std::int64_t fallback) const {
  const Field* f = Find(key);
  if (!f) return fallback;
  std::string text;
  if (f->node->is_string()) {
    text = f->node->as_string()->get();
  } else if (f->node->is_floating_point() || f->node->is_integer()) {
    const double v = f->node->is_integer() ? static_cast<double>(f->node->as_integer()->get())
                                           : f->node->as_floating_point()->get();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    if (std::abs(std::strtod(buf, nullptr) - v) > 1e-12) text = "x";  // more than 6 decimals
    else text = buf;
  }
  settlement::RatePpm ppm;
  if (!settlement::ParseRate(text, &ppm)) {
    Fail(f->where, "'" + key + "' must be a rate from 0 to 1 with at most 6 decimals, such as 0.05");
  }
  return ppm;
}

// An array of names, each from `allowed`.
std::vector<std::string> CaseReader::Names(const std::string& key, const std::vector<std::string>& allowed,
                               const char* what) const {
  std::vector<std::string> out;
  const Field* f = Find(key);
  if (!f) return out;
  const toml::array* arr = f->node->as_array();
  if (!arr) Fail(f->where, "'" + key + "' must be an array of " + what + " names");
  for (const toml::node& n : *arr) {
    if (!n.is_string()) Fail(f->where, "'" + key + "' must hold strings, got " + TypeName(n));
    const std::string name = n.as_string()->get();
    if (!Contains(allowed, name)) {
      Fail(f->where, std::string("unknown ") + what + " '" + name + "'" + DidYouMean(name, allowed) +
                         "; known: " + Quoted(allowed));
    }
    out.push_back(name);
  }
  return out;
}

// Keys under "table." with their fields.
std::vector<std::pair<std::string, const Field*>> CaseReader::Sub(const std::string& table) const {
  std::vector<std::pair<std::string, const Field*>> out;
  const std::string prefix = table + ".";
  for (const auto& [k, f] : fields_) {
    if (k.compare(0, prefix.size(), prefix) == 0) out.emplace_back(k.substr(prefix.size()), &f);
  }
  return out;
}

}  // namespace ledgerstress
