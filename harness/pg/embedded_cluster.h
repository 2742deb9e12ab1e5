#ifndef LEDGERSTRESS_HARNESS_PG_EMBEDDED_CLUSTER_H_
#define LEDGERSTRESS_HARNESS_PG_EMBEDDED_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

namespace ledgerstress {

// A throwaway PostgreSQL cluster: initdb into a private directory, a server
// listening on a unix socket in that directory only (no TCP), with
// pg_stat_statements preloaded. When the harness runs as root the server runs
// as the `postgres` OS user.
//
// The destructor stops the server (immediate mode) and deletes the directory,
// unless Detach() was called. Not thread-safe; owned by the main thread.
class EmbeddedCluster {
 public:
  struct Options {
    int max_connections = 120;
    // fsync and full_page_writes on. Off by default: a throwaway cluster
    // trades crash safety for speed, which the measurements say.
    bool durable = false;
    // pg_stat_statements.max: the distinct statements counted before the
    // least used are evicted, which makes a case's statement count missing.
    // Each schema's statements are distinct ones; 5000 (PostgreSQL's
    // default) was seen full in one test suite.
    int statements_max = 20000;
    // The directory to create. Empty: a fresh one under $TMPDIR (or /tmp).
    // It must not exist yet.
    std::string dir;
  };

  // Creates and starts a cluster. Throws InfrastructureError (with the
  // server's log tail) when initdb or the server fails; nothing is left
  // behind then.
  static std::unique_ptr<EmbeddedCluster> Start(const Options& options);

  // Attaches to a cluster a previous Start()+Detach() left running in `dir`
  // (`ledgerstress db start`). Returns nullptr when none is running there.
  static std::unique_ptr<EmbeddedCluster> Attach(const std::string& dir);

  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // libpq key/value connection string for the superuser `postgres`.
  std::string Dsn() const;
  const std::string& dir() const { return dir_; }
  // Wall time Start() took, from initdb to accepting connections.
  double startup_seconds() const { return startup_seconds_; }

  // Leave the server running and the directory in place on destruction.
  void Detach() { detached_ = true; }
  // Finds the throwaway clusters ($TMPDIR/ledgerstress-*) whose owning
  // process (ledgerstress, or a test or benchmark binary) is gone (killed with SIGKILL, so it could not clean
  // up), stops their servers and removes their directories. A directory whose
  // owner runs, or that names no owner, is left alone. Returns what it removed.
  static std::vector<std::string> RemoveOrphans();

  // Stops the server and removes the directory now. Idempotent.
  void Destroy();

  // The crash nemesis: stops the server in immediate mode (every backend
  // quits at once, nothing is flushed or checkpointed: what PostgreSQL sees
  // of a power cut, though the OS keeps what was written to it), then
  // starts it again on the same data directory and waits until it accepts
  // connections again, after crash recovery. Throws InfrastructureError
  // (with the server's log tail) when either step fails. May be called from
  // another thread than the owner's, while nothing else calls this object.
  void CrashAndRestart();

  // The bin directory holding initdb/pg_ctl/postgres: $LEDGERSTRESS_PG_BINDIR,
  // `pg_config --bindir`, or the newest /usr/lib/postgresql/*/bin. Throws
  // InfrastructureError when none has initdb.
  static std::string FindBinDir();

 private:
  EmbeddedCluster(std::string dir, std::string bindir) : dir_(std::move(dir)), bindir_(std::move(bindir)) {}
  // pg_ctl start on dir_/data, waiting until the server accepts connections.
  void StartServer();

  std::string dir_;     // holds data/, the socket and server.log
  std::string bindir_;
  double startup_seconds_ = 0;
  bool detached_ = false;
  bool destroyed_ = false;
};

// The default directory of the cluster `ledgerstress db start` keeps up:
// $LEDGERSTRESS_DB_DIR, else $TMPDIR (or /tmp)/ledgerstress-db-<uid>.
std::string PersistentClusterDir();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_EMBEDDED_CLUSTER_H_
