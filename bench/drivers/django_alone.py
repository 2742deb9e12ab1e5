"""The review's Django deposit called from a plain pool of processes, with no
harness: the yardstick for what the harness adds (bench/driver_protocol.sh).

  PGHOST=... PGOPTIONS="-c search_path=<schema>" /usr/bin/python3 django_alone.py <processes> <seconds>

Prints the deposits per second over all processes. `pool` is shared with
django_pipe.py, the same pool feeding the real driver over pipes."""
import multiprocessing
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "drivers", "django"))


def deposits(index, seconds, users, barrier):
    """One process's loop: review.deposit for `seconds` after the barrier; returns the count."""
    from django_setup import configure
    configure()
    from settlement import review
    from settlement.models import AppUser
    rng = random.Random(index)
    barrier.wait()
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        review.deposit(AppUser(pk=rng.choice(users)), "%d.%02d" % (rng.randint(1, 99), rng.randint(0, 99)),
                       "alone-%d-%d-%d" % (os.getpid(), index, n))
        n += 1
    return n


def _run(loop, index, seconds, users, barrier, out):
    out.put(loop(index, seconds, users, barrier))


def pool(loop, processes, seconds):
    """Runs loop(index, seconds, users, barrier) in `processes` processes at
    once (timed from the barrier all of them pass) and prints the total per second."""
    import psycopg2
    with psycopg2.connect("") as conn, conn.cursor() as cur:
        cur.execute("SELECT user_id FROM wallet")
        users = [r[0] for r in cur.fetchall()]
    barrier, out = multiprocessing.Barrier(processes + 1), multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_run, args=(loop, i, seconds, users, barrier, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.monotonic()
    total = sum(out.get() for _ in procs)
    elapsed = time.monotonic() - t0
    for p in procs:
        p.join()
    print("%.1f" % (total / elapsed))


if __name__ == "__main__":
    pool(deposits, int(sys.argv[1]), float(sys.argv[2]))
