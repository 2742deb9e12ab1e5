"""A ledgerstress.driver/1 driver for the retry tests: deposit and
pledge_funds in psycopg2 (the pledge locks the donor's wallet, then the
project, as the deadlock injector needs), retrying a deadlock (40P01) in
one of two ways, chosen by RETRY_MODE:

  in_transaction   the review's loop: sleep with the aborted transaction
                   open, then try again inside it (which fails with 25P02)
  per_transaction  roll back, sleep outside the transaction, start again

Either way it follows the schedule init carries (retry.max_attempts,
retry.base_delay_ms doubled per attempt, retry.jitter: half to all of it).
RETRY_REPORT=1 reports "attempts" and "backoffs_ms"; otherwise it reports
nothing about its retries.
"""
import json
import os
import random
import sys
import time
from decimal import Decimal

import psycopg2

MODE = os.environ.get("RETRY_MODE", "per_transaction")
REPORT = os.environ.get("RETRY_REPORT", "0") == "1"


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def deposit(cur, a):
    cur.execute("SELECT id FROM wallet WHERE user_id = %s FOR UPDATE", (a["user_id"],))
    wallet = cur.fetchone()[0]
    cur.execute("SELECT 1 FROM wallet_transaction WHERE idempotency_key = %s AND kind = 'DEPOSIT'", (a["key"],))
    if cur.fetchone():
        return
    cur.execute("UPDATE wallet SET balance = balance + %s WHERE id = %s", (a["amount"], wallet))
    cur.execute("INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) "
                "VALUES (%s, %s, 'DEPOSIT', %s)", (wallet, a["amount"], a["key"]))


def pledge_funds(cur, a):
    cur.execute("SELECT id, balance FROM wallet WHERE user_id = %s FOR UPDATE", (a["user_id"],))
    wallet, balance = cur.fetchone()
    cur.execute("SELECT 1 FROM escrow_contract WHERE idempotency_key = %s", (a["key"],))
    if cur.fetchone():
        return
    cur.execute("SELECT status FROM project WHERE id = %s FOR SHARE", (a["project_id"],))
    if balance < Decimal(a["amount"]):
        raise ValueError("insufficient funds")
    cur.execute("UPDATE wallet SET balance = balance - %s WHERE id = %s", (a["amount"], wallet))
    cur.execute("INSERT INTO escrow_contract (project_id, donor_wallet_id, amount, pledge_type, idempotency_key) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (a["project_id"], wallet, a["amount"], a["pledge_type"], a["key"]))
    escrow = cur.fetchone()[0]
    cur.execute("INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id, idempotency_key) "
                "VALUES (%s, -%s::numeric, 'PLEDGE', %s, %s)", (wallet, a["amount"], escrow, a["key"]))


OPS = {"deposit": deposit, "pledge_funds": pledge_funds}


def backoff(retry, attempt):
    full = retry["base_delay_ms"] * (2 ** (attempt - 1))
    return random.uniform(full / 2, full) if retry["jitter"] else full


def in_transaction(conn, op, args, retry, sleeps):
    """The review's loop: every retry inside the one (aborted) transaction."""
    with conn:
        with conn.cursor() as cur:
            for attempt in range(1, retry["max_attempts"] + 1):
                try:
                    return op(cur, args), attempt
                except psycopg2.Error as e:
                    if e.pgcode not in ("40P01", "25P02") or attempt == retry["max_attempts"]:
                        raise
                    sleeps.append(backoff(retry, attempt))
                    time.sleep(sleeps[-1] / 1000)


def per_transaction(conn, op, args, retry, sleeps):
    for attempt in range(1, retry["max_attempts"] + 1):
        try:
            with conn:
                with conn.cursor() as cur:
                    return op(cur, args), attempt
        except psycopg2.Error as e:
            if e.pgcode != "40P01" or attempt == retry["max_attempts"]:
                raise
        sleeps.append(backoff(retry, attempt))
        time.sleep(sleeps[-1] / 1000)


def reply(msg, kind, sleeps, attempts, **extra):
    out = {"type": kind, "id": msg["id"], **extra}
    if REPORT:
        out.update({"attempts": attempts, "backoffs_ms": sleeps, "sleeps_in_transaction":
                    len(sleeps) if MODE == "in_transaction" else 0})
    send(out)


def main():
    init = json.loads(sys.stdin.readline())
    retry = init["retry"]
    random.seed(init["seed"])
    send({"type": "init_ok", "operations": {"pledge_funds": [MODE], "deposit": [MODE]}})
    loop = in_transaction if MODE == "in_transaction" else per_transaction
    conn = None
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "shutdown":
            break
        sleeps = []
        try:
            conn = conn or psycopg2.connect("")
            _, attempts = loop(conn, OPS[msg["op"]], msg["args"], retry, sleeps)
            reply(msg, "ok", sleeps, attempts)
        except psycopg2.Error as e:
            if not e.pgcode:
                conn = None
                reply(msg, "info", sleeps, len(sleeps) + 1, error={"message": str(e).strip()})
            else:
                reply(msg, "fail", sleeps, len(sleeps) + 1, error={"sqlstate": e.pgcode, "message": str(e).strip()})
        except ValueError as e:
            reply(msg, "fail", sleeps, len(sleeps) + 1, expected=True, error={"message": str(e)})


main()
