"""What the driver observes of one call (statements, retry sleeps), and
when a call's outcome is unknown; the rest of the protocol is the Python
glue's (drivers/python/ledgerstress_driver.py).

- statements: Django's hook, `connection.execute_wrapper`, sees every
  statement its cursors run (savepoints included); installed once per
  process. It does not see the BEGIN that psycopg2 sends by itself before
  the first statement of a transaction, nor the COMMIT or ROLLBACK that
  ends it (`connection.commit()` bypasses the cursors): a statement that
  finds psycopg2 idle outside autocommit opens a transaction, and counts 2
  more for them, as the harness counts its own.
- retry sleeps: Django has no hook there (nor has Python 3.11's time.sleep:
  its audit event comes with 3.13). `Observer.sleep` is the hook: the
  hardened code takes the function it sleeps with as a parameter, and the
  review's code, which calls its module's `time.sleep`, is given a `time`
  whose sleep() is this one, once per process (driver.py). Each sleep is
  recorded with whether a transaction was open (its locks held).
"""
import functools
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from ledgerstress_driver import InDoubt

_TRANSACTION_STATUS_IDLE = 0  # psycopg2.extensions.TRANSACTION_STATUS_IDLE


class Observer:
    """One per process: `begin()` before a call, `report()` after it, both on
    the call's thread. What it counts is the calling thread's (with the
    glue's `concurrency`, each thread has its own Django connection and its
    own call in flight)."""

    def __init__(self, db=connection):
        self._db = db
        self._local = threading.local()

    def begin(self):
        local = self._local
        if not getattr(local, "installed", False):
            # Entered and never left: the wrapper stays on this thread's
            # connection object (Django keeps it across reconnections).
            self._db.execute_wrapper(self._count).__enter__()
            local.installed = True
        local.statements = 0
        local.sleeps = []  # (milliseconds, whether a transaction was open)
        local.recording = True

    def _count(self, execute, sql, params, many, context):
        local = self._local
        pg = self._db.connection
        if pg is not None and not pg.autocommit and pg.info.transaction_status == _TRANSACTION_STATUS_IDLE:
            local.statements += 2  # the BEGIN psycopg2 sends first, and the COMMIT or ROLLBACK to come
        local.statements += 1
        return execute(sql, params, many, context)

    def sleep(self, seconds):
        """time.sleep, recorded when a call is in progress on this thread."""
        if getattr(self._local, "recording", False):
            self._local.sleeps.append((seconds * 1000.0, self._db.in_atomic_block))
        time.sleep(seconds)

    def clock(self):
        """A stand-in for the `time` module whose sleep() is this observer's."""
        return _Clock(self.sleep)

    def report(self):
        """The reply's optional fields for this thread's call since begin()."""
        local = self._local
        local.recording = False
        return {
            "statements": local.statements,
            "attempts": len(local.sleeps) + 1,
            "backoffs_ms": [ms for ms, _ in local.sleeps],
            "sleeps_in_transaction": sum(1 for _, in_tx in local.sleeps if in_tx),
        }


class _Clock:
    """The `time` module, but for sleep()."""

    def __init__(self, sleep):
        self.sleep = sleep

    def __getattr__(self, name):
        return getattr(time, name)


def in_doubt_when_disconnected(function, db=connection):
    """`function`, but a database error that leaves the connection gone
    (broken, or closed by the server after its error) is raised as InDoubt:
    whether the COMMIT went through is unknown, so the reply is `info`, and
    the connection is closed (Django opens a new one on the next query).
    Other exceptions go through as they are: the glue makes a `fail` of
    them, with the server's SQLSTATE when there is one."""
    @functools.wraps(function)
    def call(**args):
        try:
            return function(**args)
        except DatabaseError as error:
            sqlstate = getattr(error.__cause__, "pgcode", None)
            broken = isinstance(error, (InterfaceError, OperationalError)) and not sqlstate
            if broken or (db.connection is not None and db.connection.closed):
                db.close()
                text = str(error).strip()
                raise InDoubt("%s%s: %s" % (type(error).__name__, " " + sqlstate if sqlstate else "",
                                            text.splitlines()[0] if text else "")) from error
            raise
    return call
