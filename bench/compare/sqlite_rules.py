#!/usr/bin/env python3
"""The five benchmark rules of bench/compare/rules, written the way an analyst
would write them in SQL: load the registry into SQLite (python3's sqlite3),
one table of entities and one of relations with their other properties as
JSON, the indexes an analyst would add, then one query a rule (WITH RECURSIVE
with a path string for the ownership chains; the haversine distance as a
Python function registered with the connection).

Usage: sqlite_rules.py --registry DIR [--db FILE] [--findings FILE] [--timings FILE]

The database is in memory unless --db names a file (an existing file is
replaced). Prints the time of the load and of each rule; writes the findings
as JSON lines {"rule", "bindings"} (sorted, distinct) to --findings.
"""

import argparse
import json
import math
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from registry_json import (AS_OF, SENSITIVE_SECTORS, print_timings, read_documents,  # noqa: E402
                           write_findings, write_timings)

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius, as Twinscan's distance_km()
RAD = math.pi / 180.0


def haversine_km(lat1, lon1, lat2, lon2):
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    lat1, lat2 = lat1 * RAD, lat2 * RAD
    dlat, dlon = lat2 - lat1, (lon2 - lon1) * RAD
    s1, s2 = math.sin(dlat / 2), math.sin(dlon / 2)
    h = s1 * s1 + math.cos(lat1) * math.cos(lat2) * s2 * s2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


SCHEMA = """
CREATE TABLE entities (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, props TEXT);
CREATE TABLE relations (id TEXT, kind TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, props TEXT);
"""

INDEXES = """
CREATE INDEX entities_kind ON entities(kind);
CREATE INDEX relations_kind_src ON relations(kind, src);
CREATE INDEX relations_kind_dst ON relations(kind, dst);
ANALYZE;
"""


def load(db, paths):
    db.executescript(SCHEMA)
    n = 0
    for doc in read_documents(paths):
        db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?)",
            ((e["id"], e["kind"], e.get("name"),
              json.dumps({k: v for k, v in e.items() if k not in ("id", "kind", "name")}, ensure_ascii=False))
             for e in doc.get("entities", [])))
        rows = []
        for r in doc.get("relations", []):
            n += 1
            rows.append((r.get("id", "#%d" % n), r["kind"], r["from"], r["to"],
                         json.dumps({k: v for k, v in r.items() if k not in ("id", "kind", "from", "to")},
                                    ensure_ascii=False)))
        db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?)", rows)
    db.executescript(INDEXES)
    db.commit()


SENSITIVE = ", ".join("'%s'" % s for s in sorted(SENSITIVE_SECTORS))

RULES = [
    ("bench-agreement-not-notified", ("m", "a"), """
SELECT DISTINCT m.id, a.id
FROM relations pt
JOIN entities m ON m.id = pt.src AND m.kind = 'Municipality'
JOIN entities a ON a.id = pt.dst AND a.kind = 'Agreement'
WHERE pt.kind = 'PARTY_TO'
  AND julianday(:as_of) - julianday(CASE length(json_extract(a.props, '$.signed_on'))
        WHEN 4 THEN json_extract(a.props, '$.signed_on') || '-01-01'
        WHEN 7 THEN json_extract(a.props, '$.signed_on') || '-01'
        ELSE json_extract(a.props, '$.signed_on') END) > 30
  AND NOT EXISTS (SELECT 1 FROM relations n WHERE n.kind = 'NOTIFIED' AND n.src = a.id)
"""),
    ("bench-secrecy-foreign-party", ("m", "a", "f"), """
SELECT DISTINCT m.id, a.id, f.id
FROM entities a
JOIN relations r1 ON r1.kind = 'PARTY_TO' AND r1.dst = a.id
JOIN entities m ON m.id = r1.src AND m.kind = 'Municipality'
JOIN relations r2 ON r2.kind = 'PARTY_TO' AND r2.dst = a.id
JOIN entities f ON f.id = r2.src AND f.kind IN ('ForeignCity', 'ForeignGovernment')
WHERE a.kind = 'Agreement'
  AND EXISTS (SELECT 1 FROM json_each(a.props, '$.clauses') WHERE value = 'confidentiality')
"""),
    ("bench-sensitive-project-near-site", ("p", "s"), """
SELECT DISTINCT p.id, s.id
FROM entities p
JOIN relations lp ON lp.kind = 'LOCATED_IN' AND lp.src = p.id
JOIN entities m ON m.id = lp.dst AND m.kind = 'Municipality'
JOIN relations ls ON ls.kind = 'LOCATED_IN' AND ls.dst = m.id
JOIN entities s ON s.id = ls.src AND s.kind = 'SensitiveSite'
WHERE p.kind = 'Project'
  AND json_extract(p.props, '$.sector') IN (%s)
  AND EXISTS (SELECT 1 FROM relations b JOIN entities x ON x.id = b.src AND x.kind = 'Firm'
              WHERE b.kind IN ('CONTRACTOR_OF', 'OPERATOR_OF', 'BIDDER_ON') AND b.dst = p.id
                AND json_extract(x.props, '$.state_owned') = 1
                AND json_type(x.props, '$.state_owned') = 'true')
  AND haversine_km(json_extract(p.props, '$.location.lat'), json_extract(p.props, '$.location.lon'),
                   json_extract(s.props, '$.location.lat'), json_extract(s.props, '$.location.lon')) <= 5
""" % SENSITIVE),
    # Every simple OWNED_BY chain of at most 10 links from a firm (the path string
    # keeps entities from repeating), its share product, summed per (firm, owner).
    ("bench-state-control", ("f", "g"), """
WITH RECURSIVE chain(firm, node, product, path, links) AS (
  SELECT r.src, r.dst, json_extract(r.props, '$.share'), '/' || r.src || '/' || r.dst || '/', 1
  FROM relations r JOIN entities f ON f.id = r.src AND f.kind = 'Firm'
  WHERE r.kind = 'OWNED_BY' AND r.src <> r.dst
  UNION ALL
  SELECT c.firm, r.dst, c.product * json_extract(r.props, '$.share'), c.path || r.dst || '/', c.links + 1
  FROM chain c JOIN relations r ON r.kind = 'OWNED_BY' AND r.src = c.node
  WHERE c.links < 10 AND instr(c.path, '/' || r.dst || '/') = 0
)
SELECT c.firm, c.node
FROM chain c JOIN entities g ON g.id = c.node AND g.kind = 'ForeignGovernment'
GROUP BY c.firm, c.node
HAVING min(sum(c.product), 1.0) >= 0.5
"""),
    ("bench-twinning-linkage", ("m", "c", "x", "p"), """
SELECT DISTINCT m.id, c.id, x.id, p.id
FROM relations t
JOIN entities m ON m.id = t.src AND m.kind = 'Municipality'
JOIN entities c ON c.id = t.dst AND c.kind = 'ForeignCity'
JOIN relations l ON l.kind = 'LOCATED_IN' AND l.dst = m.id
JOIN entities p ON p.id = l.src AND p.kind = 'Project'
JOIN relations b ON b.kind IN ('BIDDER_ON', 'CONTRACTOR_OF', 'OPERATOR_OF') AND b.dst = p.id
JOIN entities x ON x.id = b.src AND x.kind = 'Firm'
WHERE t.kind = 'TWINNED_WITH'
  AND json_extract(x.props, '$.country') = json_extract(c.props, '$.country')
"""),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--registry", required=True, nargs="+", help="registry folders or documents")
    ap.add_argument("--db", default=":memory:", help="database file (default: in memory)")
    ap.add_argument("--findings", help="write the findings here (JSON lines)")
    ap.add_argument("--timings", help="write the timings here (JSON)")
    ap.add_argument("--rule", action="append", help="run only this rule (repeatable)")
    ap.add_argument("--explain", action="store_true", help="print each query plan")
    args = ap.parse_args()

    if args.db != ":memory:" and os.path.exists(args.db):
        os.remove(args.db)
    start = time.perf_counter()
    db = sqlite3.connect(args.db)
    db.create_function("haversine_km", 4, haversine_km, deterministic=True)
    load(db, args.registry)
    timings = {"tool": "SQLite " + sqlite3.sqlite_version, "load": time.perf_counter() - start, "rules": {}}
    findings, counts = [], {}
    for rule_id, names, sql in RULES:
        if args.rule and rule_id not in args.rule:
            continue
        if args.explain:
            print(rule_id)
            for row in db.execute("EXPLAIN QUERY PLAN " + sql, {"as_of": AS_OF.isoformat()}):
                print("   ", row[-1])
        t = time.perf_counter()
        rows = db.execute(sql, {"as_of": AS_OF.isoformat()}).fetchall()
        timings["rules"][rule_id] = time.perf_counter() - t
        counts[rule_id] = len(set(rows))
        findings.extend((rule_id, dict(zip(names, row))) for row in rows)
    timings["rules_total"] = sum(timings["rules"].values())
    timings["total"] = time.perf_counter() - start
    timings["entities"] = db.execute("SELECT count(*) FROM entities").fetchone()[0]
    timings["relations"] = db.execute("SELECT count(*) FROM relations").fetchone()[0]
    if args.findings:
        timings["findings"] = write_findings(args.findings, findings)
    if args.timings:
        write_timings(args.timings, timings)
    print_timings(timings["tool"], timings, counts)


if __name__ == "__main__":
    main()
