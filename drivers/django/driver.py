#!/usr/bin/python3
"""ledgerstress.driver/1 for the review's Django code (docs/driver-protocol.md).

One process per ledgerstress worker. Reads one JSON message per line on
stdin, answers one per line on stdout; logs go to stderr. The database is
reached through libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD,
PGDATABASE, PGOPTIONS with the case's search_path, PGAPPNAME), which
psycopg2 reads when Django's settings leave them empty.

Run with Debian's /usr/bin/python3 (python3-django 3.2, python3-psycopg2).
"""
import json
import logging
from decimal import Decimal
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PGDATABASE", "postgres"),
        "CONN_MAX_AGE": None,  # one connection per worker process, kept
    }},
    INSTALLED_APPS=["settlement.apps.SettlementConfig"],
    USE_TZ=True,
    TIME_ZONE="UTC",
    LOGGING_CONFIG=None,
)
django.setup()
logging.basicConfig(stream=sys.stderr, level=os.environ.get("DRIVER_LOG_LEVEL", "WARNING"),
                    format="%(asctime)s %(name)s %(levelname)s %(message)s")

from calls import Observed, outcome_of  # noqa: E402
from settlement import hardened, review  # noqa: E402
from settlement.models import AppUser, Project  # noqa: E402


def user_of(args):
    # The caller holds the user already (request.user); no query to build it.
    return AppUser(pk=args["user_id"])


OPERATIONS = {
    "saka_get_or_create_wallet": {
        "review": lambda a: review.get_or_create_wallet(user_of(a)),
        "hardened": lambda a: hardened.get_or_create_wallet(user_of(a)),
    },
    "pledge_funds": {
        "review": lambda a: review.pledge_funds(user_of(a), Project(pk=a["project_id"]), a["amount"],
                                                a["pledge_type"], a["key"]),
        "hardened": lambda a: hardened.pledge_funds(user_of(a), Project(pk=a["project_id"]), a["amount"],
                                                    a["pledge_type"], a["key"]),
    },
    "deposit": {
        "review": lambda a: review.deposit(user_of(a), a["amount"], a["key"]),
    },
    "close_project_success": {
        "review": lambda a: close_review(a),
        "hardened": lambda a: close_hardened(a),
    },
}


def close_review(a):
    # The review's constants are module settings; the case sets them.
    review.MAX_ESCROWS_PER_BATCH = a["max_escrows_per_close"]
    review.RELEASE_ESCROW_BATCH_SIZE = a["release_batch_size"]
    released = review.close_project_success(Project(pk=a["project_id"]), Decimal(a["commission_rate"]),
                                            Decimal(a["fee_rate"]))
    return {"released": released, "marked_success": True}


def close_hardened(a):
    released, marked = hardened.close_project_success(Project(pk=a["project_id"]), Decimal(a["commission_rate"]),
                                                      Decimal(a["fee_rate"]), a["release_batch_size"])
    return {"released": released, "marked_success": marked}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def call(message):
    fn = OPERATIONS.get(message["op"], {}).get(message["strategy"])
    if fn is None:
        return {"type": "fail", "id": message["id"],
                "error": {"message": "no %s/%s here" % (message["op"], message["strategy"])}}
    observed = Observed(modules=(review, hardened))
    try:
        with observed:
            value = fn(message["args"])
        reply = {"type": "ok", "id": message["id"]}
        if isinstance(value, dict):
            reply["value"] = value
    except Exception as error:  # what the caller of the service would see
        reply = outcome_of(error)
        reply["id"] = message["id"]
    reply.update(observed.report())
    return reply


def main():
    init = json.loads(sys.stdin.readline())
    if init.get("type") != "init" or init.get("protocol") != 1:
        sys.stderr.write("driver: expected init for protocol 1, got %r\n" % (init,))
        return 2
    send({"type": "init_ok", "operations": {op: list(s) for op, s in OPERATIONS.items()}})
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] == "shutdown":
            break
        send(call(message))
    return 0


if __name__ == "__main__":
    sys.exit(main())
