#!/usr/bin/python3
"""Times `twinscan diff` between two versions of a generated registry, as a national
registry compared weekly would be.

  bench/diff_bench.py [--sizes N,N] [--runs N] [--changes N] [--with-findings]
                      [--twinscan PATH]

For each size (default 1000000), the registry `twinscan generate` writes (seed 42, cached in
build/bench-data/SIZE, the folders scripts/bench uses) is compiled to a snapshot (cached
too), last week's version. This week's is the registry plus one "weekly" document (--changes
new agreements, each with a PARTY_TO from an existing municipality, and a new property on
as many existing agreements, stated by the weekly source), compiled to a second snapshot
(not timed). Timed, medians of --runs whole processes, snapshot against snapshot:
- nothing changed: last week's against itself (exit 0);
- the weekly change: last week's against this week's (exit 1);
and, from `twinscan -v`, the comparison alone (the hash join over ids and properties, after
both registries are open). The answer is checked: exactly the added entities and relations
and the changed properties. --with-findings also scans both sides (the bundled rules) and
times it. Each figure is printed with the load average."""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "build", "bench-data")
SEED = 42
COMPARED = re.compile(r"diff: compared the registries in ([0-9.]+) ms")
OPENED = re.compile(r"diff: opened both registries in ([0-9.]+) ms")
SCANNED = re.compile(r"diff: scanned both sides in ([0-9.]+) ms")


def say(text):
    print(text, flush=True)


def loadavg():
    return "%.2f" % os.getloadavg()[0]


def registry(twinscan, size):
    folder = os.path.join(DATA, str(size))
    marker = os.path.join(folder, ".complete")
    if not os.path.exists(marker):
        os.makedirs(folder, exist_ok=True)
        say(f"== Generating {size} entities (seed {SEED}) into {os.path.relpath(folder, ROOT)}")
        subprocess.run([twinscan, "generate", "--seed", str(SEED), "--entities", str(size),
                        "--output", folder, "--force"], check=True)
        open(marker, "w").close()
    snapshot = os.path.join(DATA, f"diff-{size}.snapshot")
    if not os.path.exists(snapshot):
        say(f"== Compiling {os.path.relpath(snapshot, ROOT)}")
        subprocess.run([twinscan, "-q", "compile", folder, "-o", snapshot], check=True)
    return folder, snapshot


def ids_of(twinscan, snapshot, kind, count, where=""):
    r = subprocess.run([twinscan, "query", "--registry", snapshot, "--format", "json",
                        f"MATCH (x:{kind}) {where} RETURN x.id AS id ORDER BY id LIMIT {count}"],
                       capture_output=True, text=True, check=True)
    return [row[0] for row in json.loads(r.stdout)["rows"]]


def weekly_document(twinscan, snapshot, changes, path):
    municipalities = ids_of(twinscan, snapshot, "Municipality", changes)
    agreements = ids_of(twinscan, snapshot, "Agreement", changes,
                        "WHERE x.secrecy_reason IS NULL")
    doc = {"format": "twinscan/1",
           "source": {"id": "weekly", "name": "This week's additions", "role": "national-register"},
           "entities": [], "relations": []}
    for i in range(changes):
        new = f"agr:weekly-{i}"
        doc["entities"].append({"id": new, "kind": "Agreement", "name": f"Weekly agreement {i}",
                                "type": "mou", "signed_on": "2026-11-20"})
        doc["relations"].append({"kind": "PARTY_TO", "from": municipalities[i % len(municipalities)],
                                 "to": new})
    for a in agreements:
        doc["entities"].append({"id": a, "kind": "Agreement", "secrecy_reason": "weekly review"})
    with open(path, "w") as f:
        json.dump(doc, f)
    return len(agreements)


def timed(cmd):
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    return time.monotonic() - start, r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--changes", type=int, default=100)
    ap.add_argument("--with-findings", action="store_true")
    ap.add_argument("--twinscan", default=os.path.join(ROOT, "build", "twinscan"))
    args = ap.parse_args()
    t = args.twinscan
    for size in [int(s) for s in args.sizes.split(",") if s]:
        folder, snapshot = registry(t, size)
        with tempfile.TemporaryDirectory(dir=DATA) as tmp:
            weekly_doc = os.path.join(tmp, "weekly.json")
            changed = weekly_document(t, snapshot, args.changes, weekly_doc)
            weekly = os.path.join(tmp, "this-week.snapshot")
            subprocess.run([t, "-q", "compile", folder, weekly_doc, "-o", weekly], check=True)
            # The answer, checked once.
            _, r = timed([t, "diff", "--registry", snapshot, "--against", weekly,
                          "--no-findings", "--format", "json"])
            if r.returncode != 1:
                sys.exit(f"diff_bench: diff exited {r.returncode}: {r.stderr}")
            out = json.loads(r.stdout)
            got = (len(out["entities"]["added"]), len(out["relations"]["added"]),
                   len(out["properties"]), len(out["entities"]["removed"]),
                   len(out["relations"]["removed"]))
            if got != (args.changes, args.changes, changed, 0, 0):
                sys.exit(f"diff_bench: unexpected answer {got}")
            same, weekly_runs, compared, opened = [], [], [], []
            for _ in range(args.runs):
                wall, r = timed([t, "diff", "--registry", snapshot, "--against", snapshot,
                                 "--no-findings"])
                if r.returncode != 0:
                    sys.exit(f"diff_bench: diff of a snapshot against itself exited {r.returncode}")
                same.append(wall)
                wall, r = timed([t, "-v", "diff", "--registry", snapshot, "--against", weekly,
                                 "--no-findings"])
                weekly_runs.append(wall)
                compared.append(float(COMPARED.search(r.stderr).group(1)))
                opened.append(float(OPENED.search(r.stderr).group(1)))
            say(f"diff of {size:,} entities (load {loadavg()}): nothing changed "
                f"{statistics.median(same):.2f} s; weekly change ({args.changes} agreements and "
                f"relations added, {changed} properties changed) {statistics.median(weekly_runs):.2f} s "
                f"whole process, of which opening both {statistics.median(opened) / 1000:.2f} s and "
                f"the comparison {statistics.median(compared) / 1000:.3f} s (medians of {args.runs})")
            if args.with_findings:
                wall, r = timed([t, "-v", "diff", "--registry", snapshot, "--against", weekly,
                                 "--as-of", "2026-11-22"])
                scanned = SCANNED.search(r.stderr)
                say(f"  with findings: {wall:.2f} s whole process, scanning both sides "
                    f"{float(scanned.group(1)) / 1000 if scanned else float('nan'):.2f} s")


if __name__ == "__main__":
    main()
