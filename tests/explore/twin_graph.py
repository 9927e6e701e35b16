"""Random twin-city graphs written as Twinscan registry JSON, and the same graph for
networkx: cities (ForeignCity) joined by TWINNED_WITH ties, some declared twice (the
same way or the other way, as two registers would), spread over several components.

Used by the comparison test (networkx_agreement.py) and the benchmark
(bench/explore_bench.py)."""

import json
import random


def twin_graph(cities, ties, seed, components=1, parallel=0.05, isolated=0):
    """Returns (ids, edges): city ids, and ties as (from_index, to_index) pairs.

    The cities are split into `components` groups of random sizes; each group is first
    made connected by a random spanning tree (so the component count is known), then the
    remaining ties join random pairs within a group, preferring popular cities (so
    degrees are skewed, as twin-city ties are). A fraction `parallel` of ties is declared
    again (half of them the other way). `isolated` cities have no tie at all."""
    rng = random.Random(seed)
    ids = ["city:%d" % i for i in range(cities)]
    linked = cities - isolated
    cuts = sorted(rng.sample(range(1, linked), components - 1)) if components > 1 else []
    bounds = [0] + cuts + [linked]
    groups = [list(range(bounds[i], bounds[i + 1])) for i in range(len(bounds) - 1)]
    edges = []
    for g in groups:
        for k in range(1, len(g)):
            edges.append((g[k], g[rng.randrange(k)]))
    weights = [g for g in groups if len(g) > 1]
    popular = [v for g in weights for v in g]
    group_of = {}
    for gi, g in enumerate(groups):
        for v in g:
            group_of[v] = gi
    attempts = 0
    while len(edges) < ties and popular and attempts < ties * 20:
        attempts += 1
        a = rng.choice(popular)
        g = groups[group_of[a]]
        b = g[rng.randrange(len(g))]
        if a == b:
            continue
        edges.append((a, b))
        popular.append(a)  # preferential: the more ties, the likelier another
    for e in list(edges[: int(len(edges) * parallel)]):
        edges.append(e if rng.random() < 0.5 else (e[1], e[0]))
    rng.shuffle(edges)
    return ids, edges


def registry_json(ids, edges):
    """The registry document: one ForeignCity per id, one TWINNED_WITH per edge (with an
    id of its own, so parallel ties stay apart)."""
    return {
        "format": "twinscan/1",
        "source": {"name": "generated twin-city graph"},
        "entities": [{"id": i, "kind": "ForeignCity", "name": "City %s" % i.split(":")[1]}
                     for i in ids],
        "relations": [{"id": "tie:%d" % k, "kind": "TWINNED_WITH", "from": ids[a], "to": ids[b]}
                      for k, (a, b) in enumerate(edges)],
    }


def write_registry(path, ids, edges):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(registry_json(ids, edges), f)
