"""A ledgerstress.driver/1 driver that takes several calls at once, for the
e2e tests of [drivers.<name>] concurrency: the main thread reads calls and
hands each to a thread pool of init's "concurrency" threads, each thread
with its own psycopg2 connection (a service's shared pool); replies go out
as calls finish, in any order (each call first sleeps 0-15 ms, so they
finish out of order), under one lock.

Strategies: deposit "plain" (locks the wallet) and "racy" (reads the
balance, sleeps, writes balance + amount: two deposits at once lose one's
update); pledge_funds "plain".

POOL_MODE chooses a way of misbehaving on the process's POOL_AT-th call
(default 6; and every POOL_EVERY-th after, when set), which it holds until
at least 3 calls are in flight: unknown_id (answers id + 1000), duplicate
(answers it twice), crash (exits with status 3), hang (never answers it),
no_concurrency (init_ok without "concurrency") and probe_only (says it
only to the probe).

At shutdown it writes to stderr how many calls it had in flight at most
and how many replies went out out of order.
"""
import json
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg2

MODE = os.environ.get("POOL_MODE", "correct")
AT = int(os.environ.get("POOL_AT", "6"))
EVERY = int(os.environ.get("POOL_EVERY", "0"))

lock = threading.Lock()
local = threading.local()
state = {"in_flight": 0, "max_in_flight": 0, "out_of_order": 0, "last_id": 0, "replies": 0}


def send(msg):
    with lock:
        sys.stdout.write(json.dumps(msg) + "\n")
        sys.stdout.flush()


def deposit(cur, a, strategy):
    if strategy == "racy":  # the bug: no lock between reading and writing the balance
        cur.execute("SELECT id, balance FROM wallet WHERE user_id = %s", (a["user_id"],))
        wallet, balance = cur.fetchone()
        time.sleep(0.005)
        cur.execute("UPDATE wallet SET balance = %s WHERE id = %s", (balance + Decimal(a["amount"]), wallet))
    else:
        cur.execute("SELECT id FROM wallet WHERE user_id = %s FOR UPDATE", (a["user_id"],))
        wallet = cur.fetchone()[0]
        cur.execute("SELECT 1 FROM wallet_transaction WHERE idempotency_key = %s AND kind = 'DEPOSIT'", (a["key"],))
        if cur.fetchone():
            return False
        cur.execute("UPDATE wallet SET balance = balance + %s WHERE id = %s", (a["amount"], wallet))
    cur.execute("INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) "
                "VALUES (%s, %s, 'DEPOSIT', %s)", (wallet, a["amount"], a["key"]))
    return True


def pledge_funds(cur, a, strategy):
    cur.execute("SELECT id, balance FROM wallet WHERE user_id = %s FOR UPDATE", (a["user_id"],))
    wallet, balance = cur.fetchone()
    cur.execute("SELECT 1 FROM escrow_contract WHERE idempotency_key = %s", (a["key"],))
    if cur.fetchone():
        return False
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
    return True


OPS = {"deposit": deposit, "pledge_funds": pledge_funds}


def reply(msg, answer):
    with lock:
        state["in_flight"] -= 1
        state["replies"] += 1
        if msg["id"] < state["last_id"]:
            state["out_of_order"] += 1
        state["last_id"] = max(state["last_id"], msg["id"])
    send(answer)


def serve(msg):
    time.sleep(random.random() * 0.015)
    try:
        if getattr(local, "conn", None) is None:
            local.conn = psycopg2.connect("")  # PGHOST, PGOPTIONS, PGAPPNAME from the harness
        with local.conn:
            with local.conn.cursor() as cur:
                effect = OPS[msg["op"]](cur, msg["args"], msg["strategy"])
        answer = {"type": "ok", "id": msg["id"]} if effect else {"type": "ok", "id": msg["id"], "effect": False}
    except psycopg2.Error as e:
        if e.pgcode:
            answer = {"type": "fail", "id": msg["id"], "error": {"sqlstate": e.pgcode, "message": str(e).strip()}}
        else:
            local.conn = None
            answer = {"type": "info", "id": msg["id"], "error": {"message": str(e).strip()}}
    except ValueError as e:
        answer = {"type": "fail", "id": msg["id"], "expected": True, "error": {"message": str(e)}}
    reply(msg, answer)


def misbehave(held):
    if MODE == "unknown_id":
        send({"type": "ok", "id": held["id"] + 1000})
    elif MODE == "duplicate":
        reply(held, {"type": "ok", "id": held["id"], "effect": False})
        send({"type": "ok", "id": held["id"], "effect": False})
    elif MODE == "crash":
        os._exit(3)
    # hang: the held call is never answered


def main():
    init = json.loads(sys.stdin.readline())
    assert init["type"] == "init" and init["protocol"] == 1, init
    concurrency = init.get("concurrency", 1)
    offer = {"type": "init_ok", "operations": {"deposit": ["plain", "racy"], "pledge_funds": ["plain"]}}
    if MODE != "no_concurrency" and (MODE != "probe_only" or init["probe"]):
        offer["concurrency"] = concurrency
    send(offer)
    sys.stderr.write("pool: workers %s, concurrency %d\n" % (init.get("worker_ids", [init["worker"]]), concurrency))
    pool = ThreadPoolExecutor(max_workers=concurrency)
    calls, held = 0, None
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "shutdown":
            break
        calls += 1
        with lock:
            state["in_flight"] += 1
            state["max_in_flight"] = max(state["max_in_flight"], state["in_flight"])
            busy = state["in_flight"]
        if MODE not in ("correct", "no_concurrency", "probe_only") and held is None and (calls == AT or (EVERY and calls % EVERY == 0)):
            held = msg
            continue
        pool.submit(serve, msg)
        if held is not None and busy >= 3:
            misbehave(held)
            held = None
    pool.shutdown(wait=True)
    sys.stderr.write("pool: max in flight %d, out of order %d, replies %d\n"
                     % (state["max_in_flight"], state["out_of_order"], state["replies"]))


main()
