#include "harness/scenario/driver_loader.h"

#include <cstdlib>
#include <filesystem>

#include "harness/scenario/case_reader.h"
#include "harness/scenario/duration.h"
#include "harness/scenario/program_path.h"
#include "harness/scenario/suggest.h"

namespace fs = std::filesystem;

namespace ledgerstress {
namespace {

const std::vector<std::string> kDriverKeys = {"command", "cwd", "env", "call_timeout", "start_timeout", "concurrency"};
constexpr int kMaxConcurrency = 64;

std::string StringAt(const toml::node& n, const std::string& path, const std::string& what) {
  if (!n.is_string() || n.as_string()->get().empty()) Fail(Where(path, n.source()), what + " must be a non-empty string");
  return n.as_string()->get();
}

std::chrono::milliseconds DurationAt(const toml::table& t, const char* key, const std::string& path,
                                     std::chrono::milliseconds fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  std::chrono::milliseconds d{0};
  if (!n->is_string() || !ParseDuration(n->as_string()->get(), &d) || d.count() < 100) {
    Fail(Where(path, n->source()), std::string("'") + key + "' must be a duration of at least 100ms, such as \"10s\"");
  }
  return d;
}

void ReadConcurrency(const toml::table& t, const std::string& path, DriverSpec* d) {
  const toml::node* n = t.get("concurrency");
  if (!n) return;
  d->concurrency_where = Where(path, n->source());
  const auto v = n->value<std::int64_t>();
  if (!n->is_integer() || !v || *v < 1 || *v > kMaxConcurrency) {
    Fail(d->concurrency_where, "'concurrency' must be an integer from 1 to " + std::to_string(kMaxConcurrency) +
                                   ": the calls one driver process has in flight at once");
  }
  d->concurrency = static_cast<int>(*v);
}

// The PATH the driver's process gets: its `env` may set one.
std::string DriverPath(const DriverSpec& d) {
  for (const auto& [k, v] : d.env) {
    if (k == "PATH") return v;
  }
  const char* path = std::getenv("PATH");
  return path ? path : "/usr/local/bin:/usr/bin:/bin";
}

DriverSpec ReadDriver(const std::string& name, const toml::table& t, const std::string& path) {
  DriverSpec d;
  d.name = name;
  d.where = Where(path, t.source());
  for (auto&& [k, v] : t) {
    const std::string key(k.str());
    if (!Contains(kDriverKeys, key)) {
      Fail(Where(path, k.source()), "unknown key '" + key + "' in [drivers." + name + "]" + DidYouMean(key, kDriverKeys));
    }
  }
  const toml::node* cmd = t.get("command");
  if (!cmd) Fail(d.where, "[drivers." + name + "] needs 'command', e.g. command = [\"/usr/bin/python3\", \"driver.py\"]");
  if (!cmd->is_array() || cmd->as_array()->empty()) {
    Fail(Where(path, cmd->source()), "'command' must be a non-empty array of strings");
  }
  for (const toml::node& arg : *cmd->as_array()) d.command.push_back(StringAt(arg, path, "each element of 'command'"));
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  d.cwd = base.string();
  if (const toml::node* c = t.get("cwd")) d.cwd = (base / StringAt(*c, path, "'cwd'")).lexically_normal().string();
  if (const toml::node* e = t.get("env")) {
    if (!e->is_table()) Fail(Where(path, e->source()), "'env' must be a table of strings, e.g. env = { DEBUG = \"1\" }");
    for (auto&& [k, v] : *e->as_table()) {
      d.env.emplace_back(std::string(k.str()), StringAt(v, path, "env." + std::string(k.str())));
    }
  }
  if (d.command[0].find('/') == std::string::npos) {  // run as written: a bare name would not be found
    Fail(Where(path, cmd->source()), "[drivers." + name + "] " + BareProgramMessage(d.command[0], d.cwd, DriverPath(d)));
  }
  if (d.command[0][0] != '/') d.command[0] = (fs::path(d.cwd) / d.command[0]).lexically_normal().string();
  d.call_timeout = DurationAt(t, "call_timeout", path, d.call_timeout);
  d.start_timeout = DurationAt(t, "start_timeout", path, d.start_timeout);
  ReadConcurrency(t, path, &d);
  return d;
}

}  // namespace

std::map<std::string, std::shared_ptr<const DriverSpec>> ReadDrivers(const toml::table& root,
                                                                     const std::string& path) {
  std::map<std::string, std::shared_ptr<const DriverSpec>> out;
  const toml::node* drivers = root.get("drivers");
  if (!drivers) return out;
  if (!drivers->is_table()) Fail(Where(path, drivers->source()), "'drivers' must be a table: [drivers.<name>]");
  for (auto&& [k, v] : *drivers->as_table()) {
    const std::string name(k.str());
    if (!v.is_table()) Fail(Where(path, v.source()), "[drivers." + name + "] must be a table");
    out[name] = std::make_shared<const DriverSpec>(ReadDriver(name, *v.as_table(), path));
  }
  return out;
}

}  // namespace ledgerstress
