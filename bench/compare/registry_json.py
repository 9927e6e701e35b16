"""Shared helpers for the comparison scripts: reading a Twinscan registry folder
and writing findings. Standard library only."""

import datetime
import json
import os
import sys

# The benchmark's as-of date (scripts/bench passes the same to twinscan scan).
AS_OF = datetime.date(2026, 11, 22)

# Sectors that bench-sensitive-project-near-site treats as sensitive.
SENSITIVE_SECTORS = frozenset([
    "port", "logistics", "rail", "telecom", "energy", "water",
    "data_center", "surveillance", "smart_city",
])


def registry_files(path):
    """A folder means every *.json in it, sorted by name (as Twinscan does)."""
    if os.path.isdir(path):
        return [os.path.join(path, n) for n in sorted(os.listdir(path)) if n.endswith(".json")]
    return [path]


def read_documents(paths):
    """Yields each registry document as a dict. Lines that are `//` comments are
    dropped before json.loads (the generator writes strict JSON, so this is a
    no-op for it); trailing commas are not handled."""
    for path in paths:
        for name in registry_files(path):
            with open(name, encoding="utf-8") as f:
                text = f.read()
            if "//" in text:
                text = "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("//"))
            yield json.loads(text)


def first_day(text):
    """A date of the registry ("2019", "2019-04", "2019-04-17") as its first day."""
    if not isinstance(text, str):
        return None
    try:
        if len(text) == 4:
            return datetime.date(int(text), 1, 1)
        if len(text) == 7:
            return datetime.date(int(text[:4]), int(text[5:7]), 1)
        return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def write_findings(path, findings):
    """findings: iterable of (rule, bindings dict). One JSON object a line,
    sorted, distinct."""
    lines = sorted({json.dumps({"rule": r, "bindings": dict(sorted(b.items()))}, sort_keys=True)
                    for r, b in findings})
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
    os.replace(tmp, path)
    return len(lines)


def write_timings(path, timings):
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(timings, f, indent=1)
    os.replace(tmp, path)


def print_timings(tool, timings, counts, out=sys.stdout):
    print(f"{tool}: load {timings['load']:.3f} s", file=out)
    for rule, secs in timings["rules"].items():
        print(f"  {rule:36s} {secs:9.3f} s  {counts.get(rule, 0):7d} findings", file=out)
    print(f"  {'rules (load excluded)':36s} {timings['rules_total']:9.3f} s", file=out)
    print(f"  {'total (load included)':36s} {timings['total']:9.3f} s", file=out)
