"""Unit tests of ledgerstress_driver (no database, no Django):

    /usr/bin/python3 -m unittest discover -s drivers/python -p 'test_*.py'
"""
import io
import json
import os
import subprocess
import sys
import threading
import unittest

from ledgerstress_driver import NO_EFFECT, InDoubt, Refused, reply_for, run


class OutOfStock(Exception):
    pass


class FakePgError(Exception):
    """Stands in for psycopg2.Error: a `pgcode`, None when the connection broke."""

    def __init__(self, message, pgcode):
        super().__init__(message)
        self.pgcode = pgcode


class WrappedError(Exception):
    """Stands in for django.db.utils.*Error: raised `from` the driver's error."""


def wrapped(inner):
    try:
        raise inner
    except FakePgError as e:
        try:
            raise WrappedError(str(e)) from e
        except WrappedError as w:
            return w


def converse(operations, *messages, **kwargs):
    """Runs the driver over `messages` (init first); returns (status, replies)."""
    stdin = io.StringIO("".join(json.dumps(m) + "\n" for m in messages))
    stdout = io.StringIO()
    status = run(operations, stdin=stdin, stdout=stdout, **kwargs)
    return status, [json.loads(line) for line in stdout.getvalue().splitlines()]


INIT = {"type": "init", "protocol": 1, "worker": 0, "workers": 1, "case": "c", "schema": "s", "seed": 1,
        "probe": False}


def call(call_id, op, strategy, **args):
    return {"type": "call", "id": call_id, "op": op, "strategy": strategy, "args": args}


class Handshake(unittest.TestCase):
    def test_init_ok_offers_every_operation_with_its_strategies_in_order(self):
        ops = {"buy": {"hardened": lambda **a: None, "racy": lambda **a: None}, "book": {"only": lambda **a: None}}
        status, replies = converse(ops, dict(INIT, probe=True), {"type": "shutdown"})
        self.assertEqual(status, 0)
        self.assertEqual(replies, [{"type": "init_ok", "operations": {"buy": ["hardened", "racy"], "book": ["only"]}}])

    def test_a_first_message_that_is_not_init_of_protocol_1_is_status_2(self):
        status, replies = converse({}, dict(INIT, protocol=2))
        self.assertEqual((status, replies), (2, []))

    def test_eof_ends_like_shutdown_and_unknown_message_types_are_ignored(self):
        status, replies = converse({"op": {"s": lambda: None}}, INIT, {"type": "ping", "id": 1})
        self.assertEqual(status, 0)
        self.assertEqual(len(replies), 1)

    def test_nothing_is_read_after_shutdown(self):
        calls = []
        ops = {"op": {"s": lambda: calls.append(1)}}
        converse(ops, INIT, {"type": "shutdown"}, call(1, "op", "s"))
        self.assertEqual(calls, [])


class Calls(unittest.TestCase):
    def test_args_are_passed_by_name_and_a_return_is_ok(self):
        seen = []
        ops = {"buy": {"racy": lambda product, qty, key: seen.append((product, qty, key))}}
        _, replies = converse(ops, INIT, call(7, "buy", "racy", product=3, qty=2, key="k1"))
        self.assertEqual(seen, [(3, 2, "k1")])
        self.assertEqual(replies[1], {"type": "ok", "id": 7})

    def test_no_effect_is_ok_with_effect_false(self):
        self.assertEqual(reply_for(1, lambda: NO_EFFECT, {}), {"type": "ok", "id": 1, "effect": False})

    def test_a_listed_refusal_or_refused_is_an_expected_fail(self):
        def sold_out():
            raise OutOfStock("product 3")

        def refused():
            raise Refused("coupon used up")

        for function in (sold_out, refused):
            reply = reply_for(2, function, {}, refusals=(OutOfStock,))
            self.assertEqual(reply["type"], "fail")
            self.assertIs(reply["expected"], True)
            self.assertNotIn("sqlstate", reply["error"])

    def test_an_unlisted_refusal_is_a_plain_fail(self):
        def sold_out():
            raise OutOfStock("product 3")

        reply = reply_for(2, sold_out, {})
        self.assertEqual(reply, {"type": "fail", "id": 2, "error": {"sqlstate": "", "message": "OutOfStock: product 3"}})

    def test_a_database_error_carries_its_sqlstate_also_when_wrapped(self):
        def deadlock():
            raise FakePgError("deadlock detected", "40P01")

        def wrapped_deadlock():
            raise wrapped(FakePgError("deadlock detected", "40P01"))

        for function in (deadlock, wrapped_deadlock):
            reply = reply_for(3, function, {})
            self.assertEqual(reply["type"], "fail")
            self.assertEqual(reply["error"]["sqlstate"], "40P01")
            self.assertNotIn("expected", reply)

    def test_a_database_error_without_sqlstate_is_info(self):
        def lost():
            raise wrapped(FakePgError("server closed the connection unexpectedly", None))

        reply = reply_for(4, lost, {})
        self.assertEqual(reply["type"], "info")
        self.assertIn("server closed the connection", reply["error"]["message"])

    def test_in_doubt_is_info_whatever_it_wraps(self):
        def lost():
            try:
                raise FakePgError("terminating connection", "57P01")
            except FakePgError as e:
                raise InDoubt("connection gone") from e

        self.assertEqual(reply_for(4, lost, {}), {"type": "info", "id": 4, "error": {"message": "InDoubt: connection gone"}})

    def test_a_dict_returned_is_the_value_and_anything_else_is_not_sent(self):
        self.assertEqual(reply_for(1, lambda: {"released": 3}, {}), {"type": "ok", "id": 1, "value": {"released": 3}})
        self.assertEqual(reply_for(1, lambda: ["released"], {}), {"type": "ok", "id": 1})

    def test_an_unknown_strategy_is_a_fail_naming_it(self):
        _, replies = converse({"buy": {"racy": lambda: None}}, INIT, call(5, "buy", "hardened"))
        self.assertEqual(replies[1]["type"], "fail")
        self.assertIn("buy/hardened", replies[1]["error"]["message"])

    def test_after_call_runs_after_every_call_even_a_failed_one(self):
        ran = []

        def boom():
            raise RuntimeError("bug")

        _, replies = converse({"op": {"ok": lambda: None, "boom": boom}}, INIT, call(1, "op", "ok"),
                              call(2, "op", "boom"), after_call=lambda: ran.append(1))
        self.assertEqual(ran, [1, 1])
        self.assertEqual([r["id"] for r in replies[1:]], [1, 2])

    def test_every_reply_is_one_flushed_line(self):
        class Recorder(io.StringIO):
            flushes = 0

            def flush(self):
                Recorder.flushes += 1

        out = Recorder()
        run({"op": {"s": lambda: None}}, stdin=io.StringIO(json.dumps(INIT) + "\n" + json.dumps(call(1, "op", "s")) + "\n"),
            stdout=out)
        self.assertEqual(len(out.getvalue().splitlines()), 2)
        self.assertEqual(Recorder.flushes, 2)


class Hooks(unittest.TestCase):
    def test_operations_may_be_a_function_of_init(self):
        seen = []

        def table(init):
            seen.append(init["retry"])
            return {"op": {"s": lambda: None}}

        _, replies = converse(table, dict(INIT, retry={"max_attempts": 5}), call(1, "op", "s"))
        self.assertEqual(seen, [{"max_attempts": 5}])
        self.assertEqual(replies[0]["operations"], {"op": ["s"]})
        self.assertEqual(replies[1], {"type": "ok", "id": 1})

    def test_the_observers_report_of_each_call_joins_its_reply(self):
        class Counter:
            calls = 0

            def begin(self):
                self.calls += 1

            def report(self):
                return {"statements": self.calls * 10}

        def boom():
            raise RuntimeError("bug")

        _, replies = converse({"op": {"ok": lambda: None, "boom": boom}}, INIT, call(1, "op", "ok"),
                              call(2, "op", "boom"), call(3, "op", "unknown"), observer=Counter())
        self.assertEqual([r.get("statements") for r in replies[1:]], [10, 20, None])
        self.assertEqual(replies[2]["type"], "fail")


class Concurrency(unittest.TestCase):
    """run(..., concurrency=k): calls of one process on up to k threads."""

    def test_init_ok_says_the_concurrency_offered_and_nothing_when_it_is_one(self):
        _, replies = converse({"op": {"s": lambda: None}}, dict(INIT, concurrency=4), concurrency=8)
        self.assertEqual(replies[0]["concurrency"], 8)
        _, replies = converse({"op": {"s": lambda: None}}, INIT)
        self.assertNotIn("concurrency", replies[0])

    def test_calls_asked_in_flight_together_run_at_once_and_each_is_answered_by_its_id(self):
        second_started = threading.Event()

        def first():
            return {"saw_second": second_started.wait(timeout=5)}  # only True if both run at once

        def second():
            second_started.set()

        _, replies = converse({"op": {"first": first, "second": second}}, dict(INIT, concurrency=2),
                              call(1, "op", "first"), call(2, "op", "second"), concurrency=2)
        by_id = {r["id"]: r for r in replies[1:]}
        self.assertEqual(by_id[1], {"type": "ok", "id": 1, "value": {"saw_second": True}})
        self.assertEqual(by_id[2], {"type": "ok", "id": 2})
        self.assertEqual([r["id"] for r in replies[1:]], [2, 1])  # the first answered when done, not in order

    def test_without_concurrency_asked_calls_run_one_at_a_time_on_the_main_thread(self):
        threads = []
        ops = {"op": {"s": lambda: threads.append(threading.current_thread())}}
        converse(ops, INIT, call(1, "op", "s"), call(2, "op", "s"), concurrency=8)
        self.assertEqual(threads, [threading.main_thread()] * 2)

    def test_replies_of_many_threads_are_whole_lines_and_each_id_is_answered_once(self):
        _, replies = converse({"op": {"s": lambda n: {"n": "x" * n}}}, dict(INIT, concurrency=8),
                              *[call(i, "op", "s", n=1000 + i) for i in range(200)], concurrency=8)
        self.assertEqual(sorted(r["id"] for r in replies[1:]), list(range(200)))
        self.assertTrue(all(len(r["value"]["n"]) == 1000 + r["id"] for r in replies[1:]))

    def test_the_observer_sees_each_call_on_the_calls_own_thread(self):
        class PerThread:
            def __init__(self):
                self.local = threading.local()

            def begin(self):
                self.local.thread = threading.current_thread().name

            def report(self):
                return {"observed_on": self.local.thread, "ran_on": threading.current_thread().name}

        _, replies = converse({"op": {"s": lambda: None}}, dict(INIT, concurrency=4),
                              *[call(i, "op", "s") for i in range(20)], observer=PerThread(), concurrency=4)
        self.assertTrue(all(r["observed_on"] == r["ran_on"] != threading.main_thread().name for r in replies[1:]))

    def test_a_hook_that_raises_on_a_calls_thread_ends_the_process_with_its_traceback(self):
        script = (
            "import sys\n"
            "from ledgerstress_driver import run\n"
            "def after():\n"
            "    raise RuntimeError('after_call is broken')\n"
            "sys.exit(run({'op': {'s': lambda: None}}, after_call=after, concurrency=2))\n")
        messages = "".join(json.dumps(m) + "\n" for m in (dict(INIT, concurrency=2), call(1, "op", "s")))
        here = os.path.dirname(os.path.abspath(__file__))
        done = subprocess.run([sys.executable, "-c", script], input=messages, capture_output=True, text=True,
                              cwd=here, timeout=30)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("RuntimeError: after_call is broken", done.stderr)
        self.assertEqual(len(done.stdout.splitlines()), 1)  # init_ok only: the call was never answered


if __name__ == "__main__":
    unittest.main()
