#!/usr/bin/env python3
"""Times twinscan on registries of shapes no generator profile has, at two sizes, and
prints how each grows: a cost that grows with the square of the size shows as a growth
near the square of the size ratio.

  bench/shapes_bench.py TWINSCAN [--sizes 2000,20000] [--runs 3] [--keep DIR]

Shapes (N is the size):
  star    one municipality party to N agreements with N foreign cities, twinned with
          each, each city controlled by one government
  chain   an ownership chain of depth N up to a government, its first firm bidding on
          a port
  fanin   N firms owned by one state-owned hub firm, all bidding on one port
  dupes   one twinning stated N times
  docs    N documents, each its own source, each restating one municipality and
          adding a twinning
  props   N firms with 300 properties each
  clique  a cross-holding clique of sqrt(N) firms, one held by a government
For each, `twinscan -q validate` and `twinscan -q scan --format json` (the whole
catalogue, --as-of 2026-12-01) as whole processes: median wall time, peak memory, and
the growth of the wall time from each size to the next.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SHAPES = ["star", "chain", "fanin", "dupes", "docs", "props", "clique"]


def document(path, entities, relations, source=None):
    doc = {"format": "twinscan/1"}
    if source:
        doc["source"] = source
    doc["entities"] = entities
    doc["relations"] = relations
    with open(path, "w", encoding="utf-8") as out:
        json.dump(doc, out, separators=(",", ":"))


def generate(shape, n, folder):
    os.makedirs(folder, exist_ok=True)
    hub = {"id": "mun:hub", "kind": "Municipality", "name": "Hub", "country": "IL"}
    gov = {"id": "gov:cn", "kind": "ForeignGovernment", "name": "PRC", "country": "CN"}
    port = {"id": "proj:p", "kind": "Project", "name": "Port", "sector": "port"}
    located = {"kind": "LOCATED_IN", "from": "proj:p", "to": "mun:hub"}
    entities, relations = [hub, gov], []
    if shape == "star":
        for i in range(n):
            entities.append({"id": f"city:{i}", "kind": "ForeignCity", "name": f"City {i}",
                             "country": "CN"})
            entities.append({"id": f"agr:{i}", "kind": "Agreement", "name": f"MoU {i}",
                             "type": "mou", "signed_on": "2019-04-01"})
            relations += [{"kind": "TWINNED_WITH", "from": "mun:hub", "to": f"city:{i}"},
                          {"kind": "PARTY_TO", "from": "mun:hub", "to": f"agr:{i}"},
                          {"kind": "PARTY_TO", "from": f"city:{i}", "to": f"agr:{i}"},
                          {"kind": "CONTROLLED_BY", "from": f"city:{i}", "to": "gov:cn"}]
    elif shape == "chain":
        for i in range(n):
            entities.append({"id": f"firm:{i}", "kind": "Firm", "name": f"Firm {i}",
                             "country": "CN"})
            relations.append({"kind": "OWNED_BY", "from": f"firm:{i}",
                              "to": f"firm:{i + 1}" if i + 1 < n else "gov:cn", "share": 0.9})
        entities.append(port)
        relations += [located, {"kind": "BIDDER_ON", "from": "firm:0", "to": "proj:p"}]
    elif shape == "fanin":
        entities += [{"id": "firm:hub", "kind": "Firm", "name": "Hub Co", "country": "CN",
                      "state_owned": True}, port]
        relations += [{"kind": "OWNED_BY", "from": "firm:hub", "to": "gov:cn", "share": 1.0},
                      located]
        for i in range(n):
            entities.append({"id": f"firm:{i}", "kind": "Firm", "name": f"Firm {i}",
                             "country": "CN"})
            relations += [{"kind": "OWNED_BY", "from": f"firm:{i}", "to": "firm:hub",
                           "share": 0.6},
                          {"kind": "BIDDER_ON", "from": f"firm:{i}", "to": "proj:p"}]
    elif shape == "dupes":
        entities.append({"id": "city:x", "kind": "ForeignCity", "name": "X", "country": "CN"})
        relations = [{"kind": "TWINNED_WITH", "from": "mun:hub", "to": "city:x"}] * n
    elif shape == "docs":
        for i in range(n):
            document(os.path.join(folder, f"d{i:06d}.json"),
                     [hub, {"id": f"city:{i}", "kind": "ForeignCity", "name": f"C{i}",
                            "country": "CN"}],
                     [{"kind": "TWINNED_WITH", "from": "mun:hub", "to": f"city:{i}"}],
                     {"id": f"src{i}", "name": f"Source {i}"})
        return
    elif shape == "props":
        for i in range(n):
            firm = {"id": f"firm:{i}", "kind": "Firm", "name": f"Firm {i}", "country": "CN"}
            firm.update({f"x_{k}": k for k in range(300)})
            entities.append(firm)
    elif shape == "clique":
        k = int(math.sqrt(n))
        for i in range(k):
            entities.append({"id": f"firm:{i}", "kind": "Firm", "name": f"Firm {i}",
                             "country": "CN"})
        relations += [{"kind": "OWNED_BY", "from": f"firm:{i}", "to": f"firm:{j}",
                       "share": 0.01} for i in range(k) for j in range(k) if i != j]
        relations.append({"kind": "OWNED_BY", "from": "firm:0", "to": "gov:cn", "share": 0.5})
        entities.append(port)
        relations.append(located)
        relations += [{"kind": "BIDDER_ON", "from": f"firm:{i}", "to": "proj:p"}
                      for i in range(k)]
    document(os.path.join(folder, "registry.json"), entities, relations)


def timed(command):
    """Wall seconds, peak resident MB of this process, exit status."""
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, child.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("twinscan")
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--keep", help="generate the registries here and keep them")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.keep or tempfile.mkdtemp(prefix="twinscan-shapes-")
    try:
        print(f"load average {os.getloadavg()[0]:.2f}; medians of {args.runs} runs, wall time")
        print(f"{'shape':8} {'size':>7} {'validate':>10} {'scan':>10} {'peak MB':>8} {'exit':>5}")
        for shape in args.shapes.split(","):
            previous = None
            for n in sizes:
                folder = os.path.join(work, f"{shape}-{n}")
                if not os.path.isdir(folder):
                    # In a process of its own: a child forked from a parent that grew
                    # to hold a large registry reports the parent's size as its peak.
                    subprocess.run([sys.executable, os.path.abspath(__file__), "--generate",
                                    shape, str(n), folder], check=True)
                validate = [timed([args.twinscan, "-q", "validate", folder]) for _ in range(args.runs)]
                out = os.path.join(work, "report.json")
                scan = [timed([args.twinscan, "-q", "scan", "--registry", folder, "--as-of",
                               "2026-12-01", "--format", "json", "-o", out])
                        for _ in range(args.runs)]
                v = statistics.median(w for w, _, _ in validate)
                s = statistics.median(w for w, _, _ in scan)
                peak = max(p for _, p, _ in scan)
                growth = ""
                if previous:
                    ratio = n / previous[0]
                    growth = (f"  growth ×{v / max(previous[1], 1e-3):.1f} / ×{s / max(previous[2], 1e-3):.1f}"
                              f" for ×{ratio:g}")
                print(f"{shape:8} {n:>7} {v:>9.2f}s {s:>9.2f}s {peak:>8.0f} {scan[-1][2]:>5}{growth}")
                previous = (n, v, s)
        print(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--generate":
        generate(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        sys.exit(0)
    sys.exit(main())
