"""A driver that does nothing: every call answered ok at once. What the
protocol itself costs (bench/driver_protocol.sh)."""
import json
import sys

json.loads(sys.stdin.readline())
sys.stdout.write('{"type":"init_ok","operations":{"deposit":["noop"]}}\n')
sys.stdout.flush()
write, flush = sys.stdout.write, sys.stdout.flush
for line in sys.stdin:
    m = json.loads(line)
    if m["type"] == "shutdown":
        break
    write('{"type":"ok","id":%d}\n' % m["id"])
    flush()
