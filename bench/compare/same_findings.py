#!/usr/bin/env python3
"""Checks that two `twinscan scan --format json` reports hold the same findings, each
whole (rule, bindings, message, severity, evidence, ...), whatever their order: the
check to run on a registry of 10^5 entities before and after a change to the scan.

  bench/compare/same_findings.py BEFORE.json AFTER.json

Exit status 0 when equal; 1 with the first differences otherwise. Standard library
only."""

import json
import sys


def findings(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    out = {}
    for x in report["findings"]:
        text = json.dumps(x, sort_keys=True, ensure_ascii=False)
        out.setdefault(x.get("fingerprint", ""), []).append(text)
    for v in out.values():
        v.sort()
    return out, len(report["findings"])


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 64
    before, n_before = findings(sys.argv[1])
    after, n_after = findings(sys.argv[2])
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if not differ:
        print(f"same findings: {n_before}")
        return 0
    print(f"findings differ: {n_before} before, {n_after} after, {len(differ)} fingerprints differ")
    for k in differ[:5]:
        print(f"- {k}\n  before: {before.get(k, [])[:1]}\n  after:  {after.get(k, [])[:1]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
