#!/usr/bin/python3
"""ledgerstress.driver/1 for the review's Django code (docs/driver-protocol.md).

One process per ledgerstress worker, or per `concurrency` workers (the
scenario's [drivers.*] concurrency), each call then on a thread of its own.
Reads one JSON message per line on stdin, answers one per line on stdout;
logs go to stderr. The layout, to copy for your own Django code:

  driver.py        this file: Django configured, the glue run with the hooks below
  django_setup.py  Django's settings, the database from libpq's PG* variables
  operations.py    {op: {strategy: function(**args)}}: your functions, called as their callers do
  calls.py         what a call did (statements, retry sleeps), observed through hooks,
                   and when its outcome is unknown
  ../python/ledgerstress_driver.py  the protocol itself (standard library only), also examples/shop's
  settlement/      the code under test (review.py) and its hardened version

Run with Debian's /usr/bin/python3 (python3-django 3.2, python3-psycopg2).
"""
import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "python")]

from django_setup import configure  # noqa: E402

configure()

from django.core.exceptions import ValidationError  # noqa: E402

from calls import Observer  # noqa: E402
from ledgerstress_driver import run  # noqa: E402
from operations import operations, retry_of  # noqa: E402
from settlement import review  # noqa: E402

CONCURRENCY = 64  # the most the harness asks for ([drivers.*] concurrency)


def main(stdin=None, stdout=None, observer=None):
    """Serves the protocol until shutdown or EOF; returns the exit status."""
    observer = observer or Observer()
    # The review's code sleeps through its module's `time` and takes no sleep
    # function: it gets, once for the process, a `time` whose sleep() the
    # observer sees. The hardened code is handed observer.sleep instead.
    review.time = observer.clock()
    # ValidationError is the services' business refusal (insufficient funds,
    # a project not FUNDING), raised before anything is written.
    # Up to CONCURRENCY calls at once when the scenario asks (one thread and
    # one Django connection each, as a threaded server runs the code).
    return run(lambda init: operations(retry_of(init), sleep=observer.sleep), refusals=(ValidationError,),
               observer=observer, stdin=stdin, stdout=stdout, concurrency=CONCURRENCY)


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr, level=os.environ.get("DRIVER_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    sys.exit(main())
