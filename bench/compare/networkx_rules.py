#!/usr/bin/env python3
"""The five benchmark rules of bench/compare/rules, written the way an analyst
would write them with networkx: load the registry into a MultiDiGraph, then
walk it (all_simple_edge_paths with a cutoff for ownership chains, math for
the haversine distance).

Usage: networkx_rules.py --registry DIR [--findings FILE] [--timings FILE]

Prints the time of the load and of each rule; writes the findings as JSON
lines {"rule", "bindings"} (sorted, distinct) to --findings.
"""

import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import networkx as nx  # noqa: E402

from registry_json import (AS_OF, SENSITIVE_SECTORS, first_day, print_timings,  # noqa: E402
                           read_documents, write_findings, write_timings)

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius, as Twinscan's distance_km()
RAD = math.pi / 180.0


def haversine_km(a, b):
    lat1, lat2 = a["lat"] * RAD, b["lat"] * RAD
    dlat, dlon = lat2 - lat1, (b["lon"] - a["lon"]) * RAD
    s1, s2 = math.sin(dlat / 2), math.sin(dlon / 2)
    h = s1 * s1 + math.cos(lat1) * math.cos(lat2) * s2 * s2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def load(paths):
    g = nx.MultiDiGraph()
    relations = []
    for doc in read_documents(paths):
        for e in doc.get("entities", []):
            g.add_node(e["id"], **e)
        relations.extend(doc.get("relations", []))
    # References are resolved after all documents are merged.
    for r in relations:
        props = {k: v for k, v in r.items() if k not in ("from", "to")}
        g.add_edge(r["from"], r["to"], **props)
    return g


def kind(g, v):
    return g.nodes[v].get("kind")


def in_neighbours(g, v, kinds):
    """Sources of the relations of the given kinds that end at v."""
    return [u for u, _, d in g.in_edges(v, data=True) if d["kind"] in kinds]


def out_neighbours(g, v, kinds):
    return [w for _, w, d in g.out_edges(v, data=True) if d["kind"] in kinds]


def rule_state_control(g):
    """(f:Firm, g:ForeignGovernment) with effective_share(f, g) >= 0.5."""
    owned = nx.MultiDiGraph()
    owned.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
                         if d["kind"] == "OWNED_BY")
    governments = {v for v, d in g.nodes(data=True) if d["kind"] == "ForeignGovernment"}
    found = []
    for f in owned.nodes:
        if kind(g, f) != "Firm":
            continue
        for gov in nx.descendants(owned, f) & governments:
            total = 0.0
            for path in nx.all_simple_edge_paths(owned, f, gov, cutoff=10):
                product = 1.0
                for u, v, k in path:
                    product *= owned.edges[u, v, k]["share"]
                total += product
            if min(total, 1.0) >= 0.5:
                found.append({"f": f, "g": gov})
    return found


def rule_sensitive_project_near_site(g):
    """(p:Project, s:SensitiveSite) of the same municipality, within 5 km; p of a
    sensitive sector with a state-owned firm as contractor, operator or bidder."""
    found = []
    for p, d in g.nodes(data=True):
        if d["kind"] != "Project" or d.get("sector") not in SENSITIVE_SECTORS or "location" not in d:
            continue
        firms = in_neighbours(g, p, {"CONTRACTOR_OF", "OPERATOR_OF", "BIDDER_ON"})
        if not any(kind(g, x) == "Firm" and g.nodes[x].get("state_owned") is True for x in firms):
            continue
        for m in out_neighbours(g, p, {"LOCATED_IN"}):
            if kind(g, m) != "Municipality":
                continue
            for s in in_neighbours(g, m, {"LOCATED_IN"}):
                sd = g.nodes[s]
                if sd["kind"] == "SensitiveSite" and "location" in sd \
                        and haversine_km(d["location"], sd["location"]) <= 5:
                    found.append({"p": p, "s": s})
    return found


def rule_agreement_not_notified(g):
    """(m:Municipality)-[:PARTY_TO]->(a:Agreement), signed more than 30 days
    before the as-of date, with no NOTIFIED relation."""
    found = []
    for a, d in g.nodes(data=True):
        if d["kind"] != "Agreement":
            continue
        signed = first_day(d.get("signed_on"))
        if signed is None or (AS_OF - signed).days <= 30:
            continue
        if out_neighbours(g, a, {"NOTIFIED"}):
            continue
        for m in in_neighbours(g, a, {"PARTY_TO"}):
            if kind(g, m) == "Municipality":
                found.append({"m": m, "a": a})
    return found


def rule_secrecy_foreign_party(g):
    """(m:Municipality)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(f) with
    confidentiality among a's clauses and f a ForeignCity or ForeignGovernment."""
    found = []
    for a, d in g.nodes(data=True):
        if d["kind"] != "Agreement" or "confidentiality" not in (d.get("clauses") or []):
            continue
        parties = in_neighbours(g, a, {"PARTY_TO"})
        municipalities = [m for m in parties if kind(g, m) == "Municipality"]
        foreign = [f for f in parties if kind(g, f) in ("ForeignCity", "ForeignGovernment")]
        for m in municipalities:
            for f in foreign:
                found.append({"m": m, "a": a, "f": f})
    return found


def rule_twinning_linkage(g):
    """(m)-[:TWINNED_WITH]->(c:ForeignCity) and a firm x of c's country bidding on,
    building or operating a project p located in m."""
    found = []
    for m, d in g.nodes(data=True):
        if d["kind"] != "Municipality":
            continue
        twins = [c for c in out_neighbours(g, m, {"TWINNED_WITH"}) if kind(g, c) == "ForeignCity"]
        if not twins:
            continue
        for p in in_neighbours(g, m, {"LOCATED_IN"}):
            if kind(g, p) != "Project":
                continue
            for x in in_neighbours(g, p, {"BIDDER_ON", "CONTRACTOR_OF", "OPERATOR_OF"}):
                if kind(g, x) != "Firm" or g.nodes[x].get("country") is None:
                    continue
                for c in twins:
                    if g.nodes[x]["country"] == g.nodes[c].get("country"):
                        found.append({"m": m, "c": c, "x": x, "p": p})
    return found


RULES = [
    ("bench-agreement-not-notified", rule_agreement_not_notified),
    ("bench-secrecy-foreign-party", rule_secrecy_foreign_party),
    ("bench-sensitive-project-near-site", rule_sensitive_project_near_site),
    ("bench-state-control", rule_state_control),
    ("bench-twinning-linkage", rule_twinning_linkage),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--registry", required=True, nargs="+", help="registry folders or documents")
    ap.add_argument("--findings", help="write the findings here (JSON lines)")
    ap.add_argument("--timings", help="write the timings here (JSON)")
    ap.add_argument("--rule", action="append", help="run only this rule (repeatable)")
    args = ap.parse_args()

    start = time.perf_counter()
    g = load(args.registry)
    timings = {"tool": "networkx " + nx.__version__, "load": time.perf_counter() - start, "rules": {}}
    findings, counts = [], {}
    for rule_id, fn in RULES:
        if args.rule and rule_id not in args.rule:
            continue
        t = time.perf_counter()
        found = fn(g)
        timings["rules"][rule_id] = time.perf_counter() - t
        counts[rule_id] = len({tuple(sorted(b.items())) for b in found})
        findings.extend((rule_id, b) for b in found)
    timings["rules_total"] = sum(timings["rules"].values())
    timings["total"] = time.perf_counter() - start
    timings["entities"], timings["relations"] = g.number_of_nodes(), g.number_of_edges()
    if args.findings:
        timings["findings"] = write_findings(args.findings, findings)
    if args.timings:
        write_timings(args.timings, timings)
    print_timings(timings["tool"], timings, counts)


if __name__ == "__main__":
    main()
