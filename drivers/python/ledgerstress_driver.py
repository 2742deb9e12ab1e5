"""Your own functions as a ledgerstress driver (ledgerstress.driver/1).

Copy this file next to your code (examples/shop links to it; the Django
settlement driver, drivers/django, imports it from here); it needs nothing
but the standard library. Then, in about ten lines:

    from ledgerstress_driver import run
    from myapp import services

    run({
        "buy": {"hardened": services.buy, "racy": services.buy_racy},   # first: the default strategy
        "book_seat": {"hardened": services.book_seat},
    }, refusals=(services.OutOfStock, services.SeatTaken))

Each call's `args` (the scenario's `params`) are passed as keyword
arguments: `buy(product=3, qty=1, key="...")`. Adapt the names with a
lambda when your function's differ. A call's reply follows from what the
function did:

- it returned: `ok` (the call took effect), with the value as the reply's
  `value` when it is a dict; it returned NO_EFFECT: `ok` with `"effect":
  false` (ended well, wrote nothing: a duplicate request your code
  recognised);
- it raised one of `refusals` (or Refused): `fail` with `"expected": true`,
  a business rule saying no (out of stock, coupon used up); nothing may
  have been written;
- it raised a database error with a SQLSTATE (psycopg2's `pgcode`,
  psycopg 3's `sqlstate`, also when wrapped, as Django wraps them): `fail`
  with that SQLSTATE, a definite failure (the transaction rolled back);
- it raised a database error without one (the connection broke, perhaps
  during COMMIT), or InDoubt: `info`, outcome unknown, resolved by the
  harness by key;
- it raised anything else: `fail` with the exception's text.

`after_call` (optional) runs after every call, e.g. Django's
`django.db.close_old_connections`, which drops a broken connection so the
next call opens a new one. Log to stderr: stdout is the protocol's.

Several calls in flight per process (the scenario's `[drivers.*]
concurrency = k`, e.g. a Django app served by threads): pass
`concurrency=` the most your code takes at once (`run(ops,
concurrency=16)`); each call then runs on one of k threads, so your
functions must be thread-safe (Django's connections are per thread).
Without it, a scenario asking for more is refused before any case runs.

Two more hooks, for a driver that reports more (drivers/django does):
`operations` may be a function of the init message (a dict, with the
case's `retry` schedule) returning the table; and `observer`, an object
whose `begin()` runs before each call and whose `report()` (a dict, e.g.
`{"statements": 5, "attempts": 1}`) is added to the call's reply.
"""
import concurrent.futures
import json
import os
import sys
import threading
import traceback

PROTOCOL = 1


class Refused(Exception):
    """Raise it (or list your own exceptions in `refusals`) for a business refusal."""


class InDoubt(Exception):
    """Raise it (from the error) when whether the call took effect is unknown."""


class _NoEffect:
    def __repr__(self):
        return "NO_EFFECT"


NO_EFFECT = _NoEffect()


def _sqlstate(error):
    """(True, code) when `error` or an exception it wraps is a database error
    (code None when it has no SQLSTATE); (False, None) otherwise."""
    seen = set()
    e = error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        for attr in ("pgcode", "sqlstate"):
            if hasattr(e, attr):
                return True, getattr(e, attr) or None
        e = e.__cause__ or e.__context__
    return False, None


def reply_for(call_id, function, args, refusals=()):
    """Runs one call and returns the reply (a dict) for it."""
    try:
        value = function(**args)
    except Exception as error:  # what the caller of your code would see
        message = "%s: %s" % (type(error).__name__, str(error).strip())
        if isinstance(error, (Refused,) + tuple(refusals)):
            return {"type": "fail", "id": call_id, "expected": True, "error": {"message": message}}
        is_db, code = _sqlstate(error)
        if isinstance(error, InDoubt) or (is_db and code is None):
            return {"type": "info", "id": call_id, "error": {"message": message}}
        return {"type": "fail", "id": call_id, "error": {"sqlstate": code or "", "message": message}}
    if value is NO_EFFECT:
        return {"type": "ok", "id": call_id, "effect": False}
    if isinstance(value, dict):
        return {"type": "ok", "id": call_id, "value": value}
    return {"type": "ok", "id": call_id}


def run(operations, refusals=(), after_call=None, stdin=None, stdout=None, observer=None, concurrency=1):
    """Speaks the protocol on stdin/stdout until shutdown or EOF.

    operations: {op: {strategy: function}}, the first strategy of each
    being its default, or a function of the init message returning it.
    concurrency: the most calls this process takes at once (init_ok says
    so when above 1). When the scenario's `concurrency` asks for k above 1,
    each call runs on one of k threads, `observer` and `after_call` on the
    call's thread: your functions must be thread-safe, as under a threaded
    web server (Django: one connection per thread). A call that raises
    outside your function (in the observer or after_call) ends the process,
    with its traceback on stderr, on a thread as without one.
    Returns the process's exit status (0, or 2 when the first message is
    not an init of protocol 1)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    lock = threading.Lock()

    def send(message):
        line = json.dumps(message) + "\n"
        with lock:  # one whole line at a time, whichever thread answers
            stdout.write(line)
            stdout.flush()

    first = stdin.readline()
    init = json.loads(first) if first.strip() else {}
    if init.get("type") != "init" or init.get("protocol") != PROTOCOL:
        sys.stderr.write("ledgerstress_driver: expected init for protocol %d, got %r\n" % (PROTOCOL, first))
        return 2
    if callable(operations):
        operations = operations(init)
    init_ok = {"type": "init_ok", "operations": {op: list(strategies) for op, strategies in operations.items()}}
    if concurrency > 1:
        init_ok["concurrency"] = concurrency
    send(init_ok)

    def answer(message):
        send(_reply(operations, message, refusals, observer, after_call))

    threads = min(int(init.get("concurrency", 1)), concurrency)
    pool = concurrent.futures.ThreadPoolExecutor(threads) if threads > 1 else None
    try:
        for line in stdin:
            if not line.strip():
                continue
            message = json.loads(line)
            if message.get("type") == "shutdown":
                break
            if message.get("type") != "call":
                continue  # a later version's message: ignore what we do not know
            if pool is None:
                answer(message)
            else:
                pool.submit(answer, message).add_done_callback(_exit_on_error)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return 0


def _reply(operations, message, refusals, observer, after_call):
    """Runs one call message through the hooks; returns its reply."""
    function = operations.get(message["op"], {}).get(message["strategy"])
    if function is None:
        reply = {"type": "fail", "id": message["id"],
                 "error": {"message": "no %s/%s here" % (message["op"], message["strategy"])}}
    else:
        if observer is not None:
            observer.begin()
        reply = reply_for(message["id"], function, message.get("args", {}), refusals)
        if observer is not None:
            reply.update(observer.report())
    if after_call is not None:
        after_call()
    return reply


def _exit_on_error(future):
    """A call's thread raised outside the function: the process ends, as an
    exception on the main thread ends it (the harness restarts it, and
    its calls in flight are in doubt)."""
    error = future.exception()
    if error is not None:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)
