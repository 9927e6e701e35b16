#!/usr/bin/python3
"""Times twinscan path, neighbours and metrics against networkx on the same graphs.

  bench/explore_bench.py [--sizes N,N] [--runs N] [--pairs N] [--samples K]
                         [--networkx-metrics-up-to N] [--twinscan PATH] [--no-twin-graph]

Graphs:
- a twin-city graph of 10,055 cities and about 34,000 ties (tests/explore/twin_graph.py,
  seed 5: 3 components and 300 isolated cities, preferential ties, 5% declared twice),
  the size of the public Wikidata twin-city graph;
- registries of --sizes entities written by `twinscan generate` (default 100000,1000000;
  cached in build/bench-data/SIZE, the folders scripts/bench uses).

For each: `twinscan compile` writes a snapshot, networkx reads the same JSON into an
nx.MultiGraph (every relation an edge, direction ignored). Timed, medians:
- path: --pairs pairs of entities of the largest component (seeded); twinscan as a whole
  process from the snapshot (`twinscan path --registry SNAPSHOT A B`), networkx as
  nx.shortest_path_length on the loaded graph (its load time is printed apart);
- neighbourhood: the entities within 3 relations of the first entity of each pair and
  the relations among them (`twinscan neighbours --depth 3`, networkx
  single_source_shortest_path_length(cutoff=3) and the induced subgraph's edge count);
- metrics: degree, PageRank, connected components and betweenness sampled from
  --samples sources (the same k on both sides).
The answers are compared (path lengths, neighbourhood sizes, component counts) and a
difference stops the run with status 1. Each figure is printed with the load average.
Needs networkx (Debian's python3-networkx: run with /usr/bin/python3)."""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "explore"))
sys.path.insert(0, os.path.join(ROOT, "bench", "compare"))
import twin_graph  # noqa: E402
from registry_json import read_documents  # noqa: E402

import networkx as nx  # noqa: E402

try:
    import numpy  # noqa: F401
    pagerank = nx.pagerank
except ImportError:  # Debian's networkx without numpy: the same iteration in Python
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python as pagerank

DATA = os.path.join(ROOT, "build", "bench-data")


def loadavg():
    return "%.2f" % os.getloadavg()[0]


def say(text):
    print(text, flush=True)


def wall(argv, expect=(0,)):
    start = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode not in expect:
        sys.exit("%s exited %d:\n%s" % (" ".join(argv), p.returncode, p.stderr[-2000:]))
    return elapsed, p.stdout


def timed(f):
    start = time.perf_counter()
    value = f()
    return time.perf_counter() - start, value


def load_networkx(path):
    """Every entity a node, every relation an edge. As in Twinscan, a relation without an
    id is known by its ends and kind, numbered #2, #3 when one document repeats them;
    the same relation stated by another document is the same one."""
    g = nx.MultiGraph()
    seen = set()
    for doc in read_documents([path]):
        for e in doc.get("entities", []):
            g.add_node(e["id"])
        repeats = {}
        for r in doc.get("relations", []):
            key = r.get("id")
            if not key:
                key = "%s-%s->%s" % (r["from"], r["kind"], r["to"])
                repeats[key] = repeats.get(key, 0) + 1
                if repeats[key] > 1:
                    key += "#%d" % repeats[key]
            if key in seen:
                continue
            seen.add(key)
            g.add_edge(r["from"], r["to"])
    return g


def bench_graph(label, registry, args):
    say("-- %s (load average %s)" % (label, loadavg()))
    os.makedirs(os.path.join(DATA, "explore"), exist_ok=True)
    snapshot = os.path.join(DATA, "explore", os.path.basename(registry.rstrip("/")) + ".snapshot")
    t_compile, _ = wall([args.twinscan, "compile", registry, "-o", snapshot])
    t_load, g = timed(lambda: load_networkx(registry))
    say("   %d entities, %d relations; snapshot compiled in %.2f s; networkx loads it in %.2f s"
        % (g.number_of_nodes(), g.number_of_edges(), t_compile, t_load))
    largest = max(nx.connected_components(g), key=len)
    rng = random.Random(7)
    members = sorted(largest)
    pairs = [(rng.choice(members), rng.choice(members)) for _ in range(args.pairs)]

    ours, theirs = [], []
    for a, b in pairs:
        want = nx.shortest_path_length(g, a, b)
        for _ in range(args.runs):
            t, out = wall([args.twinscan, "path", "--registry", snapshot, a, b, "--format", "json"])
            ours.append(t)
        if json.loads(out)["length"] != want:
            sys.exit("path %s-%s: twinscan %s, networkx %d" % (a, b, json.loads(out)["length"], want))
        theirs.append(timed(lambda: nx.shortest_path_length(g, a, b))[0])
    report("path", ours, theirs, t_load)

    ours, theirs = [], []
    for a, _ in pairs:
        for _ in range(args.runs):
            t, out = wall([args.twinscan, "neighbours", "--registry", snapshot, a, "--depth", "3",
                           "--max-entities", "100000000", "--format", "json"])
            ours.append(t)
        got = json.loads(out)

        def reach():
            nodes = nx.single_source_shortest_path_length(g, a, cutoff=3)
            return len(nodes), g.subgraph(nodes).number_of_edges()

        t, (n, m) = timed(reach)
        theirs.append(t)
        if (len(got["entities"]), len(got["relations"])) != (n, m):
            sys.exit("3-hop neighbourhood of %s: twinscan %d entities %d relations, networkx %d %d"
                     % (a, len(got["entities"]), len(got["relations"]), n, m))
    report("3 hops", ours, theirs, t_load)

    ours = []
    for _ in range(args.runs):
        t, out = wall([args.twinscan, "metrics", "--registry", snapshot, "--format", "json",
                       "--betweenness-samples", str(args.samples), "--top", "10"])
        ours.append(t)
    got = json.loads(out)

    def measure():
        degree = dict(g.degree())
        pr = pagerank(g)
        components = nx.number_connected_components(g)
        bc = nx.betweenness_centrality(g, k=min(args.samples, g.number_of_nodes()), seed=1)
        return degree, pr, components, bc

    if g.number_of_nodes() > args.networkx_metrics_up_to:
        o = statistics.median(ours)
        say("   %-16s twinscan %8.1f ms (whole process)   networkx not run above %d entities "
            "(--networkx-metrics-up-to)   [load average %s]"
            % ("metrics (k=%d)" % args.samples, o * 1000, args.networkx_metrics_up_to, loadavg()))
        return
    t, (_, _, components, _) = timed(measure)
    if got["components"]["count"] != components:
        sys.exit("components: twinscan %d, networkx %d" % (got["components"]["count"], components))
    report("metrics (k=%d)" % args.samples, ours, [t], t_load)


def report(what, ours, theirs, load):
    o, t = statistics.median(ours), statistics.median(theirs)
    say("   %-16s twinscan %8.1f ms (whole process)   networkx %8.1f ms (+ %.1f s load)   "
        "networkx/twinscan %.3g, %.3g with its load   [load average %s]"
        % (what, o * 1000, t * 1000, load, t / o, (t + load) / o, loadavg()))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000",
                    help="entities of the generated registries (default 100000,1000000; '' for none)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each twinscan figure")
    ap.add_argument("--pairs", type=int, default=5, help="entity pairs for path and 3 hops")
    ap.add_argument("--samples", type=int, default=50, help="betweenness sources, both sides")
    ap.add_argument("--networkx-metrics-up-to", type=int, default=200000,
                    help="run networkx's metrics only up to this many entities (pure-Python "
                         "PageRank and betweenness take minutes beyond)")
    ap.add_argument("--twinscan", default=os.path.join(ROOT, "build", "twinscan"))
    ap.add_argument("--no-twin-graph", action="store_true", help="skip the twin-city graph")
    args = ap.parse_args()
    say("== Exploration: twinscan path, neighbours, metrics against networkx %s (%d cores, load "
        "average %s)" % (nx.__version__, os.cpu_count(), loadavg()))
    os.makedirs(DATA, exist_ok=True)
    if not args.no_twin_graph:
        path = os.path.join(DATA, "explore-twin-cities.json")
        ids, edges = twin_graph.twin_graph(10055, 32500, 5, components=3, isolated=300)
        twin_graph.write_registry(path, ids, edges)
        bench_graph("twin-city graph", path, args)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        folder = os.path.join(DATA, str(size))
        if not os.path.isdir(folder):
            wall([args.twinscan, "generate", "-n", str(size), "--seed", "42", "-o", folder])
        bench_graph("generated registry of %d entities" % size, folder, args)


main()
