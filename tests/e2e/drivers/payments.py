"""A ledgerstress.driver/1 driver on a scenario's own schema for the e2e
tests: it implements the declared operation `pay` (an [[operation]] with no
statements) on the tables account(id, balance CHECK >= 0) and
payment(key, account, amount). Strategies: `correct`, and `wrong_account`
(a bug: books and debits the account after the one asked for).
"""
import json
import sys

import psycopg2


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def pay(cur, args, strategy):
    account = args["account"] + (1 if strategy == "wrong_account" else 0)
    cur.execute("SELECT 1 FROM payment WHERE key = %s", (args["key"],))
    if cur.fetchone():
        return False
    cur.execute("UPDATE account SET balance = balance - %s WHERE id = %s", (args["amount"], account))
    cur.execute("INSERT INTO payment VALUES (%s, %s, %s)", (args["key"], account, args["amount"]))
    return True


def main():
    init = json.loads(sys.stdin.readline())
    assert init["type"] == "init", init
    send({"type": "init_ok", "operations": {"pay": ["correct", "wrong_account"]}})
    conn = None
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["type"] == "shutdown":
            break
        try:
            if conn is None:
                conn = psycopg2.connect("")  # PGHOST, PGOPTIONS (search_path) ... from the harness
            with conn:
                with conn.cursor() as cur:
                    effect = pay(cur, msg["args"], msg["strategy"])
            send({"type": "ok", "id": msg["id"], "effect": effect})
        except psycopg2.Error as e:
            send({"type": "fail", "id": msg["id"], "error": {"sqlstate": e.pgcode or "", "message": str(e).strip()}})


main()
