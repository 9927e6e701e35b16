#!/usr/bin/env python3
"""Times screening through the desk's API: POST /api/screen, as reviewers' browsers do.

  bench/desk_latency.py TWINSCAN REGISTRY REQUEST [--clients 1,8] [--requests N]

Starts `twinscan serve --registry REGISTRY` (a snapshot, for large registries) on a
free loopback port with a fresh database, signs one reviewer in per client, and has
each client screen REQUEST N times, all clients at once. Prints, per number of
clients, the median and 95th percentile of the answers' latency and the answers per
second, with the load average. Every answer must be 200 with a verdict.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "api"))
from desk import Desk  # noqa: E402


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("twinscan")
    ap.add_argument("registry")
    ap.add_argument("request")
    ap.add_argument("--clients", default="1,8")
    ap.add_argument("--requests", type=int, default=20, help="screenings per client")
    args = ap.parse_args()
    clients = [int(c) for c in args.clients.split(",") if c]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(args.request, encoding="utf-8") as f:
        body = f.read()
    started = time.perf_counter()
    desk = Desk(args.twinscan, root, extra_users=max(clients), registry=["--registry", args.registry])
    print(f"desk started in {time.perf_counter() - started:.1f} s (load average "
          f"{os.getloadavg()[0]:.2f})")
    try:
        for n in clients:
            sessions = [desk.sign_in(f"reviewer{i}") for i in range(n)]
            latencies, failures = [], []
            lock = threading.Lock()

            def client(cookie, csrf):
                for _ in range(args.requests):
                    t0 = time.perf_counter()
                    r = desk.request("POST", "/api/screen", body,
                                     headers={"Content-Type": "application/json"},
                                     cookie=cookie, csrf=csrf)
                    elapsed = time.perf_counter() - t0
                    with lock:
                        if r.status != 200 or "verdict" not in json.loads(r.body):
                            failures.append(r.status)
                        latencies.append(elapsed)

            threads = [threading.Thread(target=client, args=s) for s in sessions]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            if failures:
                print(f"{n} clients: {len(failures)} failed answers: {failures[:5]}")
                return 1
            print(f"{n} client(s) x {args.requests} screenings: median "
                  f"{statistics.median(latencies) * 1000:.0f} ms, p95 "
                  f"{percentile(latencies, 95) * 1000:.0f} ms, {len(latencies) / wall:.1f} "
                  f"screenings/s (load average {os.getloadavg()[0]:.2f})")
    finally:
        desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
