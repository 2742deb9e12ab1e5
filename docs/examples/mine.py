import json, sys, psycopg2

def deposit(cur, a):
    cur.execute("SELECT id FROM wallet WHERE user_id = %s FOR UPDATE", (a["user_id"],))
    wallet = cur.fetchone()[0]
    cur.execute("SELECT 1 FROM wallet_transaction WHERE idempotency_key = %s AND kind = 'DEPOSIT'", (a["key"],))
    if cur.fetchone():
        return
    cur.execute("UPDATE wallet SET balance = balance + %s WHERE id = %s", (a["amount"], wallet))
    cur.execute("INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) "
                "VALUES (%s, %s, 'DEPOSIT', %s)", (wallet, a["amount"], a["key"]))

def send(m):
    print(json.dumps(m), flush=True)

json.loads(sys.stdin.readline())                      # init
send({"type": "init_ok", "operations": {"deposit": ["plain"]}})
conn = None
for line in sys.stdin:
    m = json.loads(line)
    if m["type"] == "shutdown":
        break
    try:
        conn = conn or psycopg2.connect("")           # PGHOST, PGOPTIONS, PGAPPNAME...
        with conn, conn.cursor() as cur:              # one transaction
            deposit(cur, m["args"])
        send({"type": "ok", "id": m["id"]})
    except psycopg2.Error as e:
        if e.pgcode:                                  # the server refused: rolled back, nothing happened
            send({"type": "fail", "id": m["id"], "error": {"sqlstate": e.pgcode, "message": str(e)}})
        else:                                         # the connection broke: maybe, maybe not
            conn = None
            send({"type": "info", "id": m["id"], "error": {"message": str(e)}})
