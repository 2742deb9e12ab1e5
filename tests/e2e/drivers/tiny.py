"""A tiny ledgerstress.driver/1 driver for the e2e tests: deposit,
pledge_funds and saka_get_or_create_wallet (an upsert, which needs the
saka_unique_user constraint) in plain psycopg2, reporting no statements, and, chosen by TINY_MODE, one way of
misbehaving on worker 0's third call (TINY_EVERY: and every n-th after).

A deposit or pledge whose key is already there answers ok with "effect":
false (it took no effect), as the protocol asks.

Modes: correct, liar (answers ok without writing), wrong_user (deposits to
another user's wallet), effect_liar (deposits, then says it took no
effect), garbage (a line that is
not JSON), huge (a 2 MiB line), wrong_id, hang (never answers), crash
(exits mid-call), flood (writes 80 MiB to stderr), exit_in_init, slow_init,
bad_init (init_ok without operations).
"""
import json
import os
import sys
import time
from decimal import Decimal

import psycopg2

MODE = os.environ.get("TINY_MODE", "correct")
EVERY = int(os.environ.get("TINY_EVERY", "0"))
WORKER = int(os.environ.get("LEDGERSTRESS_WORKER", "0"))


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def deposit(cur, a, wrong_user=False):
    if wrong_user:  # a bug: the wallet of another user than the one asked for
        cur.execute("SELECT id FROM wallet WHERE user_id <> %s ORDER BY user_id LIMIT 1 FOR UPDATE", (a["user_id"],))
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


def pledge_funds(cur, a):
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


def saka_get_or_create_wallet(cur, a):
    cur.execute("INSERT INTO saka_wallet (user_id) VALUES (%s) ON CONFLICT DO NOTHING", (a["user_id"],))
    cur.execute("SELECT id FROM saka_wallet WHERE user_id = %s", (a["user_id"],))
    return True


OPS = {"deposit": deposit, "pledge_funds": pledge_funds, "saka_get_or_create_wallet": saka_get_or_create_wallet}


def run(conn, msg, **how):
    with conn:
        with conn.cursor() as cur:
            return OPS[msg["op"]](cur, msg["args"], **how)


def misbehave(msg, conn):
    if MODE == "wrong_user" and msg["op"] == "deposit":
        run(conn, msg, wrong_user=True)
        send({"type": "ok", "id": msg["id"]})
    elif MODE == "effect_liar" and msg["op"] == "deposit":
        run(conn, msg)
        send({"type": "ok", "id": msg["id"], "effect": False})
    elif MODE in ("wrong_user", "effect_liar"):
        send({"type": "ok", "id": msg["id"], "effect": run(conn, msg)})
    elif MODE == "liar":
        send({"type": "ok", "id": msg["id"]})
    elif MODE == "garbage":
        sys.stdout.write("this is not json\n")
        sys.stdout.flush()
    elif MODE == "huge":
        sys.stdout.write('{"type":"ok","id":%d,"value":"%s"}\n' % (msg["id"], "x" * (2 << 20)))
        sys.stdout.flush()
    elif MODE == "wrong_id":
        send({"type": "ok", "id": msg["id"] + 1000})
    elif MODE == "hang":
        time.sleep(3600)
    elif MODE == "crash":
        os._exit(3)
    elif MODE == "flood":
        chunk = "flood " * 10000 + "\n"
        while True:
            sys.stderr.write(chunk)


def main():
    init = json.loads(sys.stdin.readline())
    assert init["type"] == "init" and init["protocol"] == 1, init
    if MODE == "exit_in_init" and not init.get("probe"):
        sys.stderr.write("tiny: cannot import settlement.services (a broken deployment)\n")
        sys.exit(2)
    if MODE == "slow_init" and not init.get("probe"):
        time.sleep(3600)
    if MODE == "bad_init":
        send({"type": "init_ok"})
        return
    send({"type": "init_ok", "operations": {"deposit": ["plain"], "pledge_funds": ["plain", "other"],
                                            "saka_get_or_create_wallet": ["upsert"]}})
    conn = None
    calls = 0
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "shutdown":
            break
        calls += 1
        try:
            if conn is None:
                conn = psycopg2.connect("")  # libpq reads PGHOST, PGOPTIONS, PGAPPNAME...
            if MODE != "correct" and WORKER == 0 and (calls == 3 or (EVERY and calls % EVERY == 0)):
                misbehave(msg, conn)
                continue
            effect = run(conn, msg)
            send({"type": "ok", "id": msg["id"]} if effect else {"type": "ok", "id": msg["id"], "effect": False})
        except psycopg2.Error as e:
            send({"type": "fail", "id": msg["id"], "error": {"sqlstate": e.pgcode or "", "message": str(e).strip()}})
        except ValueError as e:
            send({"type": "fail", "id": msg["id"], "error": {"message": str(e)}})


main()
