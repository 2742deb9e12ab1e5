#include "harness/pg/embedded_cluster.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include "harness/errors.h"
#include "harness/pg/subprocess.h"

namespace fs = std::filesystem;

namespace ledgerstress {
namespace {

const char kSuperuser[] = "postgres";
const int kPort = 5432;  // the socket lives in our private dir: no clash

std::string TempRoot() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

std::string Tail(const std::string& path, std::size_t max_chars = 1500) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s.size() > max_chars ? s.substr(s.size() - max_chars) : s;
}

void ChownTree(const fs::path& p, const std::optional<RunAs>& as) {
  if (!as) return;
  if (chown(p.c_str(), as->uid, as->gid) != 0) {
    throw InfrastructureError("cannot hand " + p.string() + " to the postgres user");
  }
}

bool Accepting(const std::string& dsn) {
  return PQping(dsn.c_str()) == PQPING_OK;
}

// The file holding the pid of the ledgerstress process that owns a
// throwaway cluster's directory.
const char kOwnerFile[] = "owner.pid";

// Kills what postmaster.pid names, for when pg_ctl could not stop it.
void KillPostmaster(const fs::path& data) {
  std::ifstream in(data / "postmaster.pid");
  long pid = 0;
  if (in >> pid && pid > 1) kill(static_cast<pid_t>(pid), SIGKILL);
}

void WriteConf(const fs::path& data, const std::string& dir, const EmbeddedCluster::Options& options) {
  std::ofstream conf(data / "postgresql.conf", std::ios::app);
  conf << "\n# ledgerstress embedded cluster\n"
       << "listen_addresses = ''\n"
       << "unix_socket_directories = '" << dir << "'\n"
       << "port = " << kPort << "\n"
       << "max_connections = " << options.max_connections << "\n"
       << "shared_preload_libraries = 'pg_stat_statements'\n"
       << "pg_stat_statements.track = top\n"  // client statements only, not FK-trigger queries
       << "pg_stat_statements.max = " << options.statements_max << "\n"
       << "fsync = " << (options.durable ? "on" : "off") << "\n"
       << "full_page_writes = " << (options.durable ? "on" : "off") << "\n"
       << "max_locks_per_transaction = 256\n"
       << "logging_collector = off\n";
  if (!conf) throw InfrastructureError("cannot write " + (data / "postgresql.conf").string());
}

}  // namespace

std::string PersistentClusterDir() {
  if (const char* d = std::getenv("LEDGERSTRESS_DB_DIR"); d && *d) return d;
  return TempRoot() + "/ledgerstress-db-" + std::to_string(getuid());
}

std::string EmbeddedCluster::FindBinDir() {
  std::vector<std::string> candidates;
  if (const char* b = std::getenv("LEDGERSTRESS_PG_BINDIR"); b && *b) candidates.push_back(b);
  for (const char* pgc : {"/usr/bin/pg_config", "/usr/local/bin/pg_config"}) {
    if (access(pgc, X_OK) == 0) {
      ProcessResult r = RunProcess({pgc, "--bindir"});
      if (r.exit_code == 0) {
        while (!r.output.empty() && std::isspace(static_cast<unsigned char>(r.output.back()))) r.output.pop_back();
        candidates.push_back(r.output);
      }
    }
  }
  std::vector<std::string> versioned;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    versioned.push_back((e.path() / "bin").string());
  }
  std::sort(versioned.begin(), versioned.end(), [](const std::string& a, const std::string& b) {
    return std::atoi(a.c_str() + 20) > std::atoi(b.c_str() + 20);  // "/usr/lib/postgresql/" is 20
  });
  candidates.insert(candidates.end(), versioned.begin(), versioned.end());
  for (const std::string& c : candidates) {
    if (access((c + "/initdb").c_str(), X_OK) == 0 && access((c + "/pg_ctl").c_str(), X_OK) == 0) return c;
  }
  throw InfrastructureError(
      "no PostgreSQL server binaries found (looked for initdb in $LEDGERSTRESS_PG_BINDIR, "
      "pg_config --bindir, /usr/lib/postgresql/*/bin); run scripts/install-deps.sh or pass --dsn");
}

std::unique_ptr<EmbeddedCluster> EmbeddedCluster::Start(const Options& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string bindir = FindBinDir();
  const std::optional<RunAs> as = ServerAccount();

  std::string dir = options.dir;
  if (dir.empty()) {
    std::string templ = TempRoot() + "/ledgerstress-XXXXXX";
    if (!mkdtemp(templ.data())) throw InfrastructureError("cannot create a temp dir under " + TempRoot());
    dir = templ;
  } else if (mkdir(dir.c_str(), 0700) != 0) {
    throw InfrastructureError("cannot create " + dir + ": " + std::strerror(errno));
  }
  // From here on the destructor cleans up whatever happens.
  std::unique_ptr<EmbeddedCluster> c(new EmbeddedCluster(dir, bindir));
  if (options.dir.empty()) {
    // Who owns this throwaway cluster: a later run removes it if we are
    // killed before we can (RemoveOrphans).
    std::ofstream(fs::path(dir) / kOwnerFile) << getpid() << "\n";
  }
  ChownTree(dir, as);
  const fs::path data = fs::path(dir) / "data";

  ProcessResult init = RunProcess({bindir + "/initdb", "-D", data.string(), "-U", kSuperuser,
                                   "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync",
                                   "--no-instructions"},
                                  as);
  if (init.exit_code != 0) {
    throw InfrastructureError("initdb failed (exit " + std::to_string(init.exit_code) + "): " + init.output);
  }
  WriteConf(data, dir, options);
  c->StartServer();
  try {
    // The cluster is ours: install the monitoring extensions once.
    pqxx::connection conn(c->Dsn());
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; CREATE EXTENSION IF NOT EXISTS pgrowlocks");
  } catch (const std::exception& e) {
    throw InfrastructureError(std::string("embedded cluster: cannot install extensions: ") + e.what());
  }
  c->startup_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

std::unique_ptr<EmbeddedCluster> EmbeddedCluster::Attach(const std::string& dir) {
  if (!fs::exists(fs::path(dir) / "data" / "postmaster.pid")) return nullptr;
  std::unique_ptr<EmbeddedCluster> c(new EmbeddedCluster(dir, FindBinDir()));
  c->detached_ = true;  // attaching never takes ownership of its lifetime
  if (!Accepting(c->Dsn())) return nullptr;
  return c;
}

void EmbeddedCluster::StartServer() {
  const std::string data = dir_ + "/data", log = dir_ + "/server.log";
  ProcessResult start =
      RunProcess({bindir_ + "/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "start"}, ServerAccount());
  if (start.exit_code != 0 || !Accepting(Dsn())) {
    throw InfrastructureError("PostgreSQL failed to start: " + start.output + Tail(log));
  }
}

void EmbeddedCluster::CrashAndRestart() {
  const std::string data = dir_ + "/data";
  ProcessResult stop =
      RunProcess({bindir_ + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "20", "stop"}, ServerAccount());
  if (stop.exit_code != 0) {
    throw InfrastructureError("crash nemesis: pg_ctl stop -m immediate failed: " + stop.output +
                              Tail(dir_ + "/server.log"));
  }
  StartServer();
}

EmbeddedCluster::~EmbeddedCluster() {
  if (!detached_) Destroy();
}

void EmbeddedCluster::Destroy() {
  if (destroyed_) return;
  destroyed_ = true;
  const fs::path data = fs::path(dir_) / "data";
  std::error_code ec;
  if (fs::exists(data / "postmaster.pid", ec)) {
    try {
      ProcessResult stop = RunProcess({bindir_ + "/pg_ctl", "-D", data.string(), "-m", "immediate",
                                       "-w", "-t", "20", "stop"},
                                      ServerAccount());
      if (stop.exit_code != 0) KillPostmaster(data);
    } catch (const std::exception&) {
      KillPostmaster(data);
    }
  }
  fs::remove_all(dir_, ec);
}

std::vector<std::string> EmbeddedCluster::RemoveOrphans() {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(TempRoot(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("ledgerstress-", 0) != 0 || name.rfind("ledgerstress-db-", 0) == 0) continue;
    std::ifstream in(entry.path() / kOwnerFile);
    long pid = 0;
    if (!(in >> pid) || pid <= 1) continue;  // not ours to judge
    // Its owner (ledgerstress, a test or benchmark binary) is alive: leave it.
    // A recycled pid only means a leftover stays until the next run.
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;
    std::unique_ptr<EmbeddedCluster> orphan(new EmbeddedCluster(entry.path().string(), FindBinDir()));
    orphan->Destroy();
    removed.push_back(entry.path().string());
  }
  return removed;
}

std::string EmbeddedCluster::Dsn() const {
  return "host=" + dir_ + " port=" + std::to_string(kPort) + " user=" + kSuperuser +
         " dbname=postgres";
}

}  // namespace ledgerstress
