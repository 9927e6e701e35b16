#!/usr/bin/python3
"""Times `twinscan import bods` on a generated BODS 0.4 file of JSON lines.

  bench/import_bods_bench.py [--mb 100] [--runs 1] [--twinscan PATH] [--array]

The input (cached in build/bench-data/bods-MB.jsonl, or .json with --array) holds, in
the proportions of a national register: state bodies of a few countries, firms (each
with an identifier, alternate names and a jurisdiction), persons with two names, and
relationships: firm owned by a state body or a firm (exact shares, or ranges such as
25-50 %), persons with exact shares and board seats, indirect interests, and one record
in 50 replaced by a later statement or closed. Statements look like those of the BODS
0.4 examples (publicationDetails, declarationSubject, isComponent...).

Prints the input size, the median wall time of --runs imports (output to a temporary
file) and the throughput in MB/s, the CPU time (user + system) and MB per CPU second, and
the load average: on a shared machine the wall time says as much about the machine as
about the importer, the CPU time less so."""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def publication(date):
    return {"publicationDate": date, "bodsVersion": "0.4",
            "publisher": {"name": "Example ownership register"}}


def statement(n, record_id, record_type, details, status="new", date="2024-05-10"):
    return {"statementId": "%08x-%04x-4c1a-9e55-%012x" % (n, n % 65536, n),
            "declarationSubject": record_id, "statementDate": date,
            "publicationDetails": publication(date), "recordId": record_id,
            "recordStatus": status, "recordType": record_type, "recordDetails": details}


def generate(path, megabytes, as_array):
    rng = random.Random(7)
    target = megabytes * 1_000_000
    countries = ["CN", "RU", "IR", "GB", "DE", "US", "IL", "TR"]
    n = 0
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        if as_array:
            out.write("[\n")
        first = True

        def emit(obj):
            nonlocal n, written, first
            n += 1
            text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            if as_array and not first:
                text = ",\n" + text
            elif not as_array:
                text += "\n"
            first = False
            out.write(text)
            written += len(text.encode("utf-8"))

        state_bodies = []
        for i, cc in enumerate(countries):
            rid = "state-body-%d" % i
            emit(statement(n, rid, "entity", {
                "isComponent": False, "entityType": {"type": "stateBody", "subtype": "stateAgency"},
                "name": "State Assets Commission of %s" % cc, "alternateNames": ["SAC %s" % cc],
                "jurisdiction": {"name": cc, "code": cc}}))
            state_bodies.append(rid)
        firms = []
        while written < target:
            k = len(firms)
            cc = rng.choice(countries)
            rid = "firm-%d" % k
            emit(statement(n, rid, "entity", {
                "isComponent": False, "entityType": {"type": "registeredEntity"},
                "name": "Harbour Engineering Company No. %d Ltd" % k,
                "alternateNames": ["港湾工程第%d有限公司" % k, "HEC-%d" % k],
                "jurisdiction": {"name": cc, "code": cc},
                "identifiers": [{"scheme": "%s-REG" % cc, "id": "%09d" % (100000000 + k)}],
                "foundingDate": "19%02d-0%d-01" % (rng.randrange(50, 99), rng.randrange(1, 9))}))
            owner = rng.choice(state_bodies) if not firms or rng.random() < 0.3 else rng.choice(firms)
            if rng.random() < 0.5:
                share = {"exact": rng.choice([100, 75.5, 51, 30, 12.5])}
            else:
                lo = rng.choice([25, 50, 75])
                share = {"minimum": lo, "maximum": lo + 25}
            emit(statement(n, "rel-%d" % k, "relationship", {
                "isComponent": False, "subject": rid, "interestedParty": owner,
                "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                               "beneficialOwnershipOrControl": False, "share": share,
                               "startDate": "2019-07-01"}]}))
            if k % 3 == 0:
                pid = "person-%d" % k
                emit(statement(n, pid, "person", {
                    "isComponent": False, "personType": "knownPerson",
                    "names": [{"type": "legal", "fullName": "Person Number %d" % k},
                              {"type": "transliteration", "fullName": "פרסון %d" % k}],
                    "nationalities": [{"name": cc, "code": cc}], "birthDate": "1970-02"}))
                emit(statement(n, "rel-p-%d" % k, "relationship", {
                    "isComponent": False, "subject": rid, "interestedParty": pid,
                    "interests": [
                        {"type": "shareholding", "directOrIndirect": "direct",
                         "beneficialOwnershipOrControl": True, "share": {"exact": 10}},
                        {"type": "boardMember", "directOrIndirect": "direct",
                         "startDate": "2021-01-15"},
                        {"type": "shareholding", "directOrIndirect": "indirect",
                         "share": {"minimum": 5, "maximum": 10}}]}))
            if k % 50 == 49:
                emit(statement(n, "rel-%d" % k, "relationship", {}, status="closed",
                               date="2024-06-01"))
            firms.append(rid)
        if as_array:
            out.write("\n]\n")
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--twinscan", default=os.path.join(ROOT, "build", "twinscan"))
    ap.add_argument("--array", action="store_true", help="a JSON array instead of JSON lines")
    args = ap.parse_args()

    data = os.path.join(ROOT, "build", "bench-data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, "bods-%d.%s" % (args.mb, "json" if args.array else "jsonl"))
    if not os.path.exists(path):
        t = time.time()
        count = generate(path + ".tmp", args.mb, args.array)
        os.replace(path + ".tmp", path)
        print("generated %s: %d statements in %.1f s" % (path, count, time.time() - t))
    size = os.path.getsize(path)

    times = []
    cpu = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bods.json")
        for _ in range(args.runs):
            t = time.time()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = subprocess.run([args.twinscan, "import", "bods", path, "--home-country", "IL",
                                "--retrieved", "2026-11-01", "-o", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            times.append(time.time() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if r.returncode != 0:
                sys.stderr.write(r.stderr)
                sys.exit("twinscan import bods exited %d" % r.returncode)
        out_size = os.path.getsize(out)
    median = statistics.median(times)
    cpu_median = statistics.median(cpu)
    print("bods %s: %.1f MB in, %.1f MB out, %.2f s wall (median of %d): %.0f MB/s; "
          "%.2f s of CPU: %.0f MB per CPU second; load average %.2f"
          % ("array" if args.array else "JSON lines", size / 1e6, out_size / 1e6, median,
             len(times), size / 1e6 / median, cpu_median, size / 1e6 / cpu_median,
             os.getloadavg()[0]))


if __name__ == "__main__":
    main()
