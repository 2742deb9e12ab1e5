"""What the driver observes of one call without touching the code under
test: the statements Django sent (connection.execute_wrapper), and each
retry sleep of the service modules (their time.sleep, with whether a
transaction was open at that moment). And how an exception maps onto the
protocol's fail (definite) or info (indefinite)."""
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection


class _Clock:
    """Stands in for a service module's `time`: sleep() is recorded."""

    def __init__(self, observed):
        self._observed = observed

    def sleep(self, seconds):
        self._observed.sleeps.append((seconds * 1000.0, connection.in_atomic_block))
        time.sleep(seconds)

    def __getattr__(self, name):
        return getattr(time, name)


class Observed:
    def __init__(self, modules):
        self.modules = modules
        self.statements = 0
        self.sleeps = []

    def _count(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        for m in self.modules:
            m.time = _Clock(self)
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)
        for m in self.modules:
            m.time = time
        return False

    def report(self):
        # The statements are what went through Django's cursors (savepoints
        # included); BEGIN and COMMIT, which psycopg2 sends by itself, are not.
        return {
            "statements": self.statements,
            "attempts": len(self.sleeps) + 1,
            "backoffs_ms": [ms for ms, _ in self.sleeps],
            "sleeps_in_transaction": sum(1 for _, in_tx in self.sleeps if in_tx),
        }


def outcome_of(error):
    """fail: nothing took effect (the atomic block rolled back); info: the
    connection broke, so whether the COMMIT went through is unknown."""
    cause = getattr(error, "__cause__", None)
    sqlstate = getattr(cause, "pgcode", None) or ""
    message = ("%s: %s" % (type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else ""))
    if isinstance(error, (InterfaceError, OperationalError)) and not sqlstate:
        connection.close()  # Django reconnects on the next query
        return {"type": "info", "error": {"message": message}}
    if isinstance(error, DatabaseError) and connection.connection is not None and connection.connection.closed:
        connection.close()
        return {"type": "info", "error": {"sqlstate": sqlstate, "message": message}}
    return {"type": "fail", "error": {"sqlstate": sqlstate, "message": message}}
