#include "harness/scenario/schema_command_loader.h"

#include <cstdlib>
#include <filesystem>

#include "harness/scenario/case_reader.h"
#include "harness/scenario/program_path.h"

namespace fs = std::filesystem;

namespace ledgerstress {
namespace {

std::string StringAt(const toml::node& n, const std::string& path, const std::string& what) {
  if (!n.is_string() || n.as_string()->get().empty()) Fail(Where(path, n.source()), what + " must be a non-empty string");
  return n.as_string()->get();
}

// The PATH the command's process gets: its `env` may set one.
std::string CommandPath(const UserSchema& s) {
  for (const auto& [k, v] : s.env) {
    if (k == "PATH") return v;
  }
  const char* path = std::getenv("PATH");
  return path ? path : "/usr/local/bin:/usr/bin:/bin";
}

SchemaCommand ReadCommand(const toml::table& t, const char* key, const std::string& path, const UserSchema& s) {
  SchemaCommand c;
  const toml::node* n = t.get(key);
  if (!n) return c;
  c.where = Where(path, n->source());
  if (!n->is_array() || n->as_array()->empty()) {
    Fail(c.where, std::string("'") + key + "' must be a non-empty array of strings, e.g. " + key +
                      " = [\"/usr/bin/python3\", \"manage.py\", \"migrate\", \"--noinput\"]");
  }
  for (const toml::node& arg : *n->as_array()) c.argv.push_back(StringAt(arg, path, std::string("each element of '") + key + "'"));
  if (c.argv[0].find('/') == std::string::npos) {  // run as written: a bare name would not be found
    Fail(c.where, std::string("[schema] ") + key + ": " + BareProgramMessage(c.argv[0], s.cwd, CommandPath(s)));
  }
  if (c.argv[0][0] != '/') c.argv[0] = (fs::path(s.cwd) / c.argv[0]).lexically_normal().string();
  return c;
}

}  // namespace

void ReadSchemaCommands(const toml::table& t, const std::string& path, UserSchema* s) {
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  s->cwd = base.string();
  const toml::node* cwd = t.get("cwd");
  if (cwd) s->cwd = (base / StringAt(*cwd, path, "'cwd'")).lexically_normal().string();
  const toml::node* env = t.get("env");
  if (env) {
    if (!env->is_table()) Fail(Where(path, env->source()), "'env' must be a table of strings, e.g. env = { DJANGO_SETTINGS_MODULE = \"shop.settings\" }");
    for (auto&& [k, v] : *env->as_table()) {
      s->env.emplace_back(std::string(k.str()), StringAt(v, path, "env." + std::string(k.str())));
    }
  }
  s->command = ReadCommand(t, "command", path, *s);
  s->fixture_command = ReadCommand(t, "fixture_command", path, *s);
  if (s->command.given() || s->fixture_command.given()) return;
  if (const toml::node* n = cwd ? cwd : env) {
    Fail(Where(path, n->source()), "[schema] 'cwd' and 'env' are for 'command' and 'fixture_command', and it has neither");
  }
}

}  // namespace ledgerstress
