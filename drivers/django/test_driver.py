"""Unit tests of the Django settlement driver's glue (driver.py, operations.py,
calls.py), with Django configured but no database (the protocol's own glue,
drivers/python/ledgerstress_driver.py, has its tests there):

    /usr/bin/python3 -m unittest discover -s drivers/django -p 'test_*.py'

What the services do against PostgreSQL is judged end to end
(tests/e2e/django_test.cpp, scenarios/django_review.toml)."""
import contextlib
import io
import json
import os
import sys
import threading
import time
import unittest
from decimal import Decimal
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import driver  # noqa: E402  (configures Django)
import operations  # noqa: E402
from calls import Observer, in_doubt_when_disconnected  # noqa: E402
from ledgerstress_driver import InDoubt  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import DatabaseError, IntegrityError, OperationalError  # noqa: E402
from settlement import hardened, review  # noqa: E402

INIT = {"type": "init", "protocol": 1, "worker": 0, "workers": 1, "case": "c", "schema": "s", "seed": 1,
        "probe": False, "retry": {"strategy": "none", "max_attempts": 5, "base_delay_ms": 20, "jitter": False}}


def call(call_id, op, strategy, **args):
    return {"type": "call", "id": call_id, "op": op, "strategy": strategy, "args": args}


class FakeObserver:
    def begin(self):
        pass

    def report(self):
        return {"statements": 7}

    def sleep(self, seconds):
        pass

    def clock(self):
        return "the observer's clock"


def converse(*messages):
    """Runs serve() over `messages`; returns (status, replies)."""
    stdin = io.StringIO("".join(json.dumps(m) + "\n" for m in messages))
    stdout = io.StringIO()
    status = driver.main(stdin, stdout, observer=FakeObserver())
    return status, [json.loads(line) for line in stdout.getvalue().splitlines()]


class FakePgError(Exception):
    """Stands in for psycopg2.Error: a `pgcode`, None when the connection broke."""

    def __init__(self, message, pgcode):
        super().__init__(message)
        self.pgcode = pgcode


def django_error(cls, message, pgcode):
    """A django.db error raised `from` a driver error, as Django wraps them."""
    try:
        try:
            raise FakePgError(message, pgcode)
        except FakePgError as e:
            raise cls(message) from e
    except cls as wrapped:
        return wrapped


class FakePsycopg:
    """The psycopg2 connection as the observer reads it."""

    def __init__(self, autocommit, status):
        self.autocommit = autocommit
        self.info = mock.Mock(transaction_status=status)
        self.closed = 0


class FakeDb:
    """django.db.connection as the observer and outcome_of use it."""

    def __init__(self, pg=None):
        self.connection = pg
        self.in_atomic_block = False
        self.wrappers = []
        self.closes = 0

    def execute_wrapper(self, wrapper):
        self.wrappers.append(wrapper)
        return contextlib.nullcontext()

    def run(self, sql):
        """A statement through the installed wrappers, as a Django cursor runs it."""
        for wrapper in self.wrappers:
            wrapper(lambda *a: None, sql, (), False, {})

    def close(self):
        self.closes += 1


class Handshake(unittest.TestCase):
    def test_init_ok_offers_every_operation_with_review_first(self):
        status, replies = converse(dict(INIT, probe=True), {"type": "shutdown"})
        self.assertEqual(status, 0)
        self.assertEqual(replies, [{"type": "init_ok", "operations": {
            "saka_get_or_create_wallet": ["review", "hardened"], "pledge_funds": ["review", "hardened"],
            "deposit": ["review"], "close_project_success": ["review", "hardened"]},
            "concurrency": driver.CONCURRENCY}])

    def test_a_first_message_that_is_not_init_of_protocol_1_is_status_2(self):
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(converse(dict(INIT, protocol=2)), (2, []))
            self.assertEqual(converse({"type": "call", "id": 1}), (2, []))
        self.assertIn("expected init for protocol 1", stderr.getvalue())

    def test_eof_ends_like_shutdown_and_unknown_message_types_are_ignored(self):
        status, replies = converse(INIT, {"type": "ping", "id": 1})
        self.assertEqual((status, len(replies)), (0, 1))

    def test_nothing_is_called_after_shutdown(self):
        with mock.patch.object(operations.review, "deposit") as deposit:
            converse(INIT, {"type": "shutdown"}, call(1, "deposit", "review", user_id=1, amount="1.00", key="k"))
        deposit.assert_not_called()


class Calls(unittest.TestCase):
    def test_args_reach_the_service_as_its_callers_pass_them_and_a_return_is_ok(self):
        with mock.patch.object(operations.review, "deposit", return_value=object()) as deposit:
            _, replies = converse(INIT, call(3, "deposit", "review", user_id=42, amount="12.50", key="k3"))
        user, amount, key = deposit.call_args.args
        self.assertEqual((user.pk, amount, key), (42, "12.50", "k3"))
        self.assertEqual(replies[1], {"type": "ok", "id": 3, "statements": 7})

    def test_a_dict_returned_is_the_value_and_the_review_close_gets_the_cases_constants(self):
        with mock.patch.object(operations.review, "close_project_success", return_value=1000) as close:
            _, replies = converse(INIT, call(4, "close_project_success", "review", project_id=9, release_batch_size=25,
                                             max_escrows_per_close=300, commission_rate="0.05", fee_rate="0.029"))
        self.assertEqual(close.call_args.args[1:], (Decimal("0.05"), Decimal("0.029")))
        self.assertEqual(close.call_args.kwargs, {"max_escrows": 300, "batch_size": 25})
        self.assertEqual(replies[1]["value"], {"released": 1000, "marked_success": True})

    def test_the_hardened_pledge_gets_the_retry_schedule_of_init(self):
        with mock.patch.object(operations.hardened, "pledge_funds") as pledge:
            converse(INIT, call(5, "pledge_funds", "hardened", user_id=1, project_id=2, amount="3.00",
                                pledge_type="DONATION", key="k5"))
        self.assertEqual(pledge.call_args.kwargs["retry"], hardened.Retry(max_attempts=5, base_delay=0.02, jitter=False))
        self.assertEqual(pledge.call_args.kwargs["sleep"].__self__.__class__, FakeObserver)

    def test_the_reviews_sleeps_go_through_the_observers_clock(self):
        converse(INIT)
        self.assertEqual(review.time, "the observer's clock")

    def test_an_init_without_retry_leaves_hardened_its_default(self):
        init = {k: v for k, v in INIT.items() if k != "retry"}
        self.assertEqual(operations.retry_of(init), hardened.DEFAULT_RETRY)

    def test_a_refusal_is_an_expected_fail_with_what_was_observed(self):
        with mock.patch.object(operations.review, "deposit", side_effect=ValidationError("no")):
            _, replies = converse(INIT, call(6, "deposit", "review", user_id=1, amount="1.00", key="k"))
        self.assertEqual(replies[1], {"type": "fail", "id": 6, "expected": True, "statements": 7,
                                      "error": {"message": "ValidationError: ['no']"}})

    def test_a_database_error_is_a_fail_with_its_sqlstate_and_not_expected(self):
        deadlock = django_error(OperationalError, "deadlock detected", "40P01")
        with mock.patch.object(operations.review, "deposit", side_effect=deadlock):
            _, replies = converse(INIT, call(8, "deposit", "review", user_id=1, amount="1.00", key="k"))
        self.assertEqual(replies[1]["error"]["sqlstate"], "40P01")
        self.assertNotIn("expected", replies[1])

    def test_an_unknown_strategy_is_a_fail_naming_it(self):
        _, replies = converse(INIT, call(7, "deposit", "hardened", user_id=1, amount="1.00", key="k"))
        self.assertEqual(replies[1]["type"], "fail")
        self.assertIn("deposit/hardened", replies[1]["error"]["message"])


class InDoubtWhenDisconnected(unittest.TestCase):
    def call(self, error, db):
        def service(**args):
            raise error
        try:
            in_doubt_when_disconnected(service, db)()
        except Exception as raised:
            return raised
        self.fail("nothing raised")

    def test_a_server_error_on_a_live_connection_goes_through_as_it_is(self):
        db = FakeDb(FakePsycopg(False, 0))
        deadlock = django_error(OperationalError, "deadlock detected", "40P01")
        self.assertIs(self.call(deadlock, db), deadlock)
        self.assertEqual(db.closes, 0)

    def test_a_broken_connection_is_in_doubt_and_closes_it(self):
        db = FakeDb(FakePsycopg(False, 0))
        raised = self.call(django_error(OperationalError, "server closed the connection unexpectedly", None), db)
        self.assertIsInstance(raised, InDoubt)
        self.assertEqual(str(raised), "OperationalError: server closed the connection unexpectedly")
        self.assertEqual(db.closes, 1)

    def test_a_server_error_that_closed_the_connection_is_in_doubt(self):
        pg = FakePsycopg(False, 0)
        pg.closed = 2
        raised = self.call(django_error(DatabaseError, "terminating connection", "57P01"), FakeDb(pg))
        self.assertIsInstance(raised, InDoubt)
        self.assertIn("57P01", str(raised))

    def test_an_error_that_is_not_the_databases_goes_through(self):
        db = FakeDb(FakePsycopg(False, 0))
        for error in (KeyError("user_id"), ValidationError("no"), django_error(IntegrityError, "dup", "23505")):
            self.assertIs(self.call(error, db), error)


class Statements(unittest.TestCase):
    def test_the_first_statement_of_a_transaction_counts_its_begin_and_end(self):
        pg = FakePsycopg(autocommit=False, status=0)
        db = FakeDb(pg)
        observer = Observer(db)
        observer.begin()
        db.run("SELECT ... FOR UPDATE")
        pg.info.transaction_status = 2  # in a transaction now
        db.run("UPDATE wallet ...")
        db.run("INSERT ...")
        self.assertEqual(observer.report()["statements"], 5)  # BEGIN, 3, COMMIT

    def test_in_autocommit_each_statement_counts_one(self):
        db = FakeDb(FakePsycopg(autocommit=True, status=0))
        observer = Observer(db)
        observer.begin()
        db.run("SELECT 1")
        db.run("SELECT 2")
        self.assertEqual(observer.report()["statements"], 2)

    def test_begin_starts_each_call_from_zero(self):
        db = FakeDb(FakePsycopg(autocommit=True, status=0))
        observer = Observer(db)
        observer.begin()
        db.run("SELECT 1")
        observer.report()
        observer.begin()
        self.assertEqual(observer.report()["statements"], 0)


class Sleeps(unittest.TestCase):
    def test_each_sleep_of_a_call_is_a_backoff_and_one_in_a_transaction_is_counted(self):
        db = FakeDb()
        observer = Observer(db)
        observer.begin()
        observer.sleep(0.001)
        db.in_atomic_block = True
        observer.clock().sleep(0.002)
        report = observer.report()
        self.assertEqual(report["attempts"], 3)
        self.assertEqual(report["backoffs_ms"], [1.0, 2.0])
        self.assertEqual(report["sleeps_in_transaction"], 1)

    def test_a_call_that_does_not_sleep_made_one_attempt(self):
        observer = Observer(FakeDb())
        observer.sleep(0.001)  # before the call: not its sleep
        observer.begin()
        report = observer.report()
        observer.sleep(0.001)  # after it
        self.assertEqual((report["attempts"], report["backoffs_ms"], report["sleeps_in_transaction"]), (1, [], 0))

    def test_the_clock_is_the_time_module_but_for_sleep(self):
        clock = Observer(FakeDb()).clock()
        self.assertIs(clock.monotonic, time.monotonic)
        self.assertNotEqual(clock.sleep, time.sleep)


class PerThreadDb(threading.local):
    """django.db.connection as each thread sees it: its own connection."""

    def __init__(self):
        self.db = FakeDb(FakePsycopg(autocommit=True, status=0))

    def __getattr__(self, name):
        return getattr(self.db, name)


class Threads(unittest.TestCase):
    """With the glue's concurrency, several calls of one process at once."""

    def test_each_threads_call_reports_its_own_statements_and_sleeps(self):
        shared = PerThreadDb()
        observer = Observer(shared)
        both_begun = threading.Barrier(2)
        reports = {}

        def call(name, statements, sleeps_in_transaction):
            observer.begin()
            both_begun.wait(timeout=5)
            shared.db.in_atomic_block = sleeps_in_transaction
            for _ in range(statements):
                shared.db.run("SELECT 1")
            observer.clock().sleep(0.001)
            both_begun.wait(timeout=5)  # both calls have run before either reports
            reports[name] = observer.report()

        threads = [threading.Thread(target=call, args=("a", 1, False)),
                   threading.Thread(target=call, args=("b", 3, True))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        self.assertEqual((reports["a"]["statements"], reports["a"]["sleeps_in_transaction"]), (1, 0))
        self.assertEqual((reports["b"]["statements"], reports["b"]["sleeps_in_transaction"]), (3, 1))
        self.assertEqual(reports["a"]["attempts"], 2)

    def test_the_driver_offers_calls_in_flight_and_runs_them_on_threads(self):
        stdin = io.StringIO("".join(json.dumps(m) + "\n" for m in (dict(INIT, concurrency=4),)))
        stdout = io.StringIO()
        self.assertEqual(driver.main(stdin, stdout, observer=FakeObserver()), 0)
        self.assertGreaterEqual(json.loads(stdout.getvalue().splitlines()[0])["concurrency"], 4)


class HardenedRetryLoop(unittest.TestCase):
    """hardened.pledge_funds's loop, with its transaction's body stood in for."""

    def pledge(self, *outcomes, retry=hardened.Retry(max_attempts=3, base_delay=0.1, jitter=False), retries=True):
        """(what pledge_funds returned or raised, attempts, sleeps) when the
        attempts end in `outcomes` (an exception raised, else returned)."""
        slept = []
        with mock.patch.object(hardened, "_pledge_in_transaction", side_effect=list(outcomes)) as body, \
                mock.patch.object(hardened.transaction, "atomic", contextlib.nullcontext), \
                self.assertLogs(hardened.logger, "WARNING") if retries else contextlib.nullcontext():
            try:
                result = hardened.pledge_funds(mock.Mock(pk=1), mock.Mock(pk=2), "3.00", "DONATION", "k",
                                               retry=retry, sleep=slept.append)
            except Exception as error:
                result = error
        return result, body.call_count, slept

    def test_a_deadlock_is_retried_after_the_schedules_sleep(self):
        deadlock = django_error(OperationalError, "deadlock detected", "40P01")
        result, attempts, slept = self.pledge(deadlock, deadlock, "escrow")
        self.assertEqual((result, attempts, slept), ("escrow", 3, [0.1, 0.2]))

    def test_the_last_attempts_error_is_raised_without_sleeping_again(self):
        serialization = django_error(OperationalError, "could not serialize", "40001")
        result, attempts, slept = self.pledge(serialization, serialization,
                                              retry=hardened.Retry(max_attempts=2, base_delay=0.1, jitter=False))
        self.assertIs(result, serialization)
        self.assertEqual((attempts, slept), (2, [0.1]))

    def test_an_error_that_is_not_a_deadlock_is_not_retried(self):
        timeout = django_error(OperationalError, "lock timeout", "55P03")
        result, attempts, slept = self.pledge(timeout, "escrow", retries=False)
        self.assertIs(result, timeout)
        self.assertEqual((attempts, slept), (1, []))


class RetrySchedule(unittest.TestCase):
    def test_the_delay_doubles_per_retry_without_jitter(self):
        retry = hardened.Retry(max_attempts=4, base_delay=0.1, jitter=False)
        self.assertEqual([retry.delay(n) for n in range(3)], [0.1, 0.2, 0.4])

    def test_jitter_draws_between_half_and_the_whole_delay(self):
        retry = hardened.Retry(max_attempts=3, base_delay=0.1, jitter=True)
        low, high = mock.Mock(uniform=lambda a, b: a), mock.Mock(uniform=lambda a, b: b)
        self.assertEqual((retry.delay(1, rng=low), retry.delay(1, rng=high)), (0.1, 0.2))


if __name__ == "__main__":
    unittest.main()
