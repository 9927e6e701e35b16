#!/usr/bin/env python3
"""Writes one registry two ways, to time what statements by several sources cost.

  bench/shared_ids.py REGISTRY_FOLDER OUT_FOLDER [--sources N]

OUT_FOLDER/one/registry.json: every document of REGISTRY_FOLDER merged into one
document (one source), the registry as it is scanned today.
OUT_FOLDER/shared/NN.json: the same statements as N documents of N sources that all
share ids: every entity is stated by every source (its id and kind in each; its name
and other properties dealt round-robin among the sources, each stated once), and the
relations are dealt among them by their kind and ends. Loading it merges N statements of every entity into
one; the graph, and so every finding, is the same as from one/.
"""

import argparse
import json
import os
import zlib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("registry")
    parser.add_argument("out")
    parser.add_argument("--sources", type=int, default=4)
    args = parser.parse_args()
    entities, relations = [], []
    for name in sorted(os.listdir(args.registry)):
        # The national register restates ties of the others: left out, so that both
        # layouts hold the same relations.
        if not name.endswith(".json") or name == "national-register.json":
            continue
        with open(os.path.join(args.registry, name), encoding="utf-8") as f:
            doc = json.load(f)
        entities += doc.get("entities", [])
        relations += doc.get("relations", [])
    os.makedirs(os.path.join(args.out, "one"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "shared"), exist_ok=True)
    with open(os.path.join(args.out, "one", "registry.json"), "w", encoding="utf-8") as f:
        json.dump({"format": "twinscan/1", "source": {"id": "registry"},
                   "entities": entities, "relations": relations}, f, ensure_ascii=False)
    n = args.sources
    shared_entities = [[] for _ in range(n)]
    for e in entities:
        parts = [{"id": e["id"], "kind": e["kind"]} for _ in range(n)]
        keys = [k for k in e if k not in ("id", "kind")]
        for i, k in enumerate(keys):
            parts[i % n][k] = e[k]
        for s in range(n):
            shared_entities[s].append(parts[s])
    # Relations of one kind and ends stay in one document: in another they would be the
    # same relation stated again, and merged.
    shared_relations = [[] for _ in range(n)]
    for r in relations:
        key = "%s\0%s\0%s" % (r["kind"], r["from"], r["to"])
        shared_relations[zlib.crc32(key.encode("utf-8")) % n].append(r)
    for s in range(n):
        doc = {"format": "twinscan/1", "source": {"id": "source-%d" % s},
               "entities": shared_entities[s], "relations": shared_relations[s]}
        with open(os.path.join(args.out, "shared", "%02d.json" % s), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
    print("%d entities, %d relations: one document, and %d documents sharing every id"
          % (len(entities), len(relations), n))


if __name__ == "__main__":
    main()
