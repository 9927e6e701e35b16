#!/usr/bin/python3
"""twinscan metrics and twinscan path agree with networkx on random graphs.

Usage: networkx_agreement.py TWINSCAN ROOT [metrics|paths]   (both when not said)

For a few random twin-city graphs (a couple of hundred cities, parallel ties, several
components, isolated cities), written as registry JSON:
- metrics --format json equals networkx on nx.MultiGraph (nx.MultiDiGraph with
  --directed): components (and strongly connected ones), degree (in, out),
  betweenness_centrality and pagerank within 1e-6; betweenness also through the
  sampling code with as many samples as entities;
- path --format json gives, for many pairs, networkx's shortest path length (or none),
  a path that is one, and with --all the same set of shortest paths as
  nx.all_shortest_paths."""

import json
import os
import random
import subprocess
import sys
import tempfile

try:
    import networkx as nx
except ImportError:
    print("networkx is not installed (Debian: python3-networkx); skipped")
    sys.exit(77)

try:
    import numpy  # noqa: F401  nx.pagerank needs numpy and scipy
    pagerank = nx.pagerank
except ImportError:
    # Debian's python3-networkx without numpy: the same power iteration in pure Python,
    # which networkx 2.8 keeps as its reference implementation.
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python as pagerank

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twin_graph  # noqa: E402

TWINSCAN = sys.argv[1]
MODE = sys.argv[3] if len(sys.argv) > 3 else "both"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(*args, expect=(0,)):
    p = subprocess.run([TWINSCAN, *args], capture_output=True, text=True)
    if p.returncode not in expect:
        sys.exit("twinscan %s exited %d:\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p


def nx_graph(ids, edges, directed):
    g = nx.MultiDiGraph() if directed else nx.MultiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from((ids[a], ids[b]) for a, b in edges)
    return g


def compare_metrics(path, ids, edges, directed, label):
    flags = ["--directed"] if directed else []
    out = json.loads(run("metrics", "--registry", path, "--format", "json", *flags).stdout)
    sampled = json.loads(run("metrics", "--registry", path, "--format", "json",
                             "--metrics", "betweenness", "--betweenness-samples",
                             str(len(ids)), *flags).stdout)
    g = nx_graph(ids, edges, directed)
    rows = {e["id"]: e for e in out["entities"]}
    check(set(rows) == set(g.nodes), label + ": entities differ")
    check(out["graph"]["relations"] == g.number_of_edges(), label + ": relation count")
    check(out["betweenness"]["sampled"] is False, label + ": betweenness not exact")
    bc = nx.betweenness_centrality(g)
    pr = pagerank(g)
    for v in g.nodes:
        r = rows[v]
        check(r["degree"] == g.degree(v), "%s: degree of %s %d, networkx %d"
              % (label, v, r["degree"], g.degree(v)))
        if directed:
            check(r["in_degree"] == g.in_degree(v) and r["out_degree"] == g.out_degree(v),
                  label + ": in/out degree of " + v)
        check(abs(r["betweenness"] - bc[v]) <= 1e-6, "%s: betweenness of %s %r, networkx %r"
              % (label, v, r["betweenness"], bc[v]))
        check(abs(r["pagerank"] - pr[v]) <= 1e-6, "%s: pagerank of %s %r, networkx %r"
              % (label, v, r["pagerank"], pr[v]))
    for r in sampled["entities"]:
        check(abs(r["betweenness"] - bc[r["id"]]) <= 1e-6,
              "%s: betweenness (every entity sampled) of %s %r, networkx %r"
              % (label, r["id"], r["betweenness"], bc[r["id"]]))

    def partition(key):
        groups = {}
        for r in out["entities"]:
            groups.setdefault(r[key], set()).add(r["id"])
        return sorted(sorted(s) for s in groups.values())

    if directed:
        check(partition("component") == sorted(sorted(c) for c in nx.weakly_connected_components(g)),
              label + ": weakly connected components differ")
        check(partition("strong_component")
              == sorted(sorted(c) for c in nx.strongly_connected_components(g)),
              label + ": strongly connected components differ")
        check(out["strong_components"]["count"] == nx.number_strongly_connected_components(g),
              label + ": strong component count")
    else:
        check(partition("component") == sorted(sorted(c) for c in nx.connected_components(g)),
              label + ": connected components differ")
        check(out["components"]["count"] == nx.number_connected_components(g),
              label + ": component count")
        sizes = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
        check(out["components"]["sizes"] == sizes, label + ": component sizes")


def compare_paths(path, ids, edges, directed, label, rng, pairs=20):
    flags = ["--directed"] if directed else []
    g = nx_graph(ids, edges, directed)
    simple = nx.DiGraph(g) if directed else nx.Graph(g)
    for k in range(pairs):
        a, b = rng.choice(ids), rng.choice(ids)
        want_all = k % 4 == 0
        extra = ["--all", "--max-paths", "10000"] if want_all else []
        p = run("path", "--registry", path, a, b, "--format", "json", *flags, *extra,
                expect=(0, 1))
        out = json.loads(p.stdout)
        if not nx.has_path(simple, a, b):
            check(p.returncode == 1 and out["found"] is False and out["paths"] == [],
                  "%s: %s to %s has no path in networkx, twinscan says %s"
                  % (label, a, b, out["length"]))
            continue
        length = nx.shortest_path_length(simple, a, b)
        check(p.returncode == 0 and out["length"] == length,
              "%s: %s to %s: length %r, networkx %d" % (label, a, b, out["length"], length))
        for found in out["paths"]:
            seq = [e["id"] for e in found["entities"]]
            check(len(seq) == length + 1 and seq[0] == a and seq[-1] == b
                  and all(simple.has_edge(seq[i], seq[i + 1]) for i in range(length)),
                  "%s: %s is not a path of the graph" % (label, seq))
            for i, hop in enumerate(found["hops"]):
                between = g.number_of_edges(seq[i], seq[i + 1])
                check(len(hop) == between, "%s: hop %s-%s lists %d relations, %d exist"
                      % (label, seq[i], seq[i + 1], len(hop), between))
        if want_all:
            theirs = sorted(nx.all_shortest_paths(simple, a, b))
            ours = sorted([e["id"] for e in q["entities"]] for q in out["paths"])
            check(ours == theirs and out["capped"] is False,
                  "%s: all shortest paths %s to %s: %d, networkx %d"
                  % (label, a, b, len(ours), len(theirs)))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            (180, 300, 11, 3, 4),
            (220, 500, 12, 5, 2),
            (150, 180, 13, 1, 0),
        ]
        for cities, ties, seed, components, isolated in cases:
            ids, edges = twin_graph.twin_graph(cities, ties, seed, components=components,
                                               isolated=isolated)
            path = os.path.join(tmp, "graph-%d.json" % seed)
            twin_graph.write_registry(path, ids, edges)
            rng = random.Random(seed)
            for directed in (False, True):
                label = "graph %d (%s)" % (seed, "directed" if directed else "undirected")
                if MODE in ("metrics", "both"):
                    compare_metrics(path, ids, edges, directed, label)
                if MODE in ("paths", "both"):
                    compare_paths(path, ids, edges, directed, label, rng)
    for f in failures[:30]:
        print(f)
    if failures:
        print("%d disagreements with networkx" % len(failures))
        sys.exit(1)
    print("twinscan agrees with networkx")


main()
