"""The review's Django deposit through the real driver process
(drivers/django/driver.py), each fed over its pipes by a minimal Python loop
instead of the harness: what a call's round trip between two processes costs
by itself, the floor for any harness that runs the team's code in a process
of its own (bench/driver_protocol.sh).

  PGHOST=... PGOPTIONS="-c search_path=<schema>" /usr/bin/python3 django_pipe.py <processes> <seconds>

Prints the deposits per second over all processes (calls answered ok)."""
import json
import os
import random
import subprocess
import sys
import time

from django_alone import pool

DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "drivers", "django", "driver.py")


def fed(index, seconds, users, barrier):
    """Starts one driver, then sends it deposits one at a time for `seconds`; returns the oks."""
    driver = subprocess.Popen([sys.executable, DRIVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send = driver.stdin
    send.write(b'{"type": "init", "protocol": 1}\n')
    send.flush()
    json.loads(driver.stdout.readline())  # init_ok
    rng = random.Random(index)
    barrier.wait()
    n, ok, end = 0, 0, time.monotonic() + seconds
    while time.monotonic() < end:
        args = {"user_id": rng.choice(users), "amount": "%d.%02d" % (rng.randint(1, 99), rng.randint(0, 99)),
                "key": "pipe-%d-%d-%d" % (os.getpid(), index, n)}
        send.write(json.dumps({"type": "call", "id": n, "op": "deposit", "strategy": "review",
                               "args": args}).encode() + b"\n")
        send.flush()
        ok += json.loads(driver.stdout.readline())["type"] == "ok"
        n += 1
    send.write(b'{"type": "shutdown"}\n')
    send.close()
    driver.wait()
    return ok


if __name__ == "__main__":
    pool(fed, int(sys.argv[1]), float(sys.argv[2]))
