#!/usr/bin/python3
"""Reads `twinscan export` back with the tools researchers open it in.

Usage: export_readback_test.py TWINSCAN ROOT GROUP

Each group exports the sample registry (data/sample with its judgements) and, where it
needs values the sample lacks, tests/export/tricky-registry.json, then reads the output
with networkx, Graphviz, Python's csv and json modules, or the grammar of Neo4j's import
headers, and checks it against `twinscan stats --format json` and `twinscan query`.
"""
import collections
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TWINSCAN, ROOT, GROUP = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLE = ["--registry", os.path.join(ROOT, "data/sample"),
          "--judgements", os.path.join(ROOT, "data/sample/judgements.json")]
TRICKY = ["--registry", os.path.join(ROOT, "tests/export/tricky-registry.json")]
TMP = tempfile.mkdtemp(prefix="twinscan-export-")


def run(*args, expect=0):
    p = subprocess.run([TWINSCAN, *args], capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"twinscan {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


def export(registry, fmt, name, *extra):
    path = os.path.join(TMP, name)
    run("export", *registry, "--format", fmt, "--output", path, *extra)
    return path


def stats(registry):
    return json.loads(run("stats", *registry, "--format", "json").stdout)


def query_rows(registry, text):
    out = run("query", *registry, "--format", "json", text).stdout
    return json.loads(out)["rows"]


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)


def check_counts(g, s):
    check(g.number_of_nodes() == s["entities"],
          f"{g.number_of_nodes()} nodes, stats says {s['entities']} entities")
    check(g.number_of_edges() == s["relations"],
          f"{g.number_of_edges()} edges, stats says {s['relations']} relations")
    kinds = collections.Counter(d["kind"] for _, d in g.nodes(data=True))
    expected = {k: n for k, n in s["entities_by_kind"].items() if n}
    check(kinds == expected, f"entities by kind {dict(kinds)} != {expected}")


def check_typed_graph(g, edge_kind):
    """The typed properties of the sample and the tricky registry, as networkx reads them."""
    check(g.is_directed() and g.is_multigraph(), f"read as {type(g).__name__}, not MultiDiGraph")
    # A float share, a boolean, a date string (full and partial), a list as JSON text.
    own = [d for _, _, d in g.edges(data=True) if d.get(edge_kind) == "OWNED_BY" and "share" in d]
    check(own and all(isinstance(d["share"], float) for d in own), "share is not a float")
    check(any(abs(d["share"] - 0.35) < 1e-12 for d in own), "no share of 0.35 (elbatech)")
    firms = {n: d for n, d in g.nodes(data=True) if d["kind"] == "Firm"}
    check(any(d.get("state_owned") is True for d in firms.values()), "state_owned is not a bool")
    agreement = g.nodes["agr:haifa-erfurt-twinning"]
    check(agreement["signed_on"] == "2005-06-12", f"signed_on {agreement.get('signed_on')!r}")
    check(g.nodes["agr:haifa-shanghai-twinning-1993"]["signed_on"] == "1993",
          "a year-only date is not kept as its text")
    clauses = json.loads(g.nodes["agr:haifa-bay-port-concession"]["clauses"])
    check(clauses == ["confidentiality"], f"clauses {clauses!r}")
    check(g.nodes["agr:haifa-bay-port-concession"]["kind"] == "Agreement", "kind")
    # Parallel edges: both of SIPG's relations to the Haifa Bay port, each with its id.
    between = g.get_edge_data("firm:sipg", "proj:haifa-bay-port")
    check(between is not None and len(between) >= 2, f"parallel edges lost: {between}")
    kinds = sorted(d[edge_kind] for d in between.values())
    check(len(set(kinds)) == len(kinds), f"parallel edges {kinds}")
    check(all("->" in key for key in between), f"edge keys are not relation ids: {list(between)}")
    # The display name is the label; an entity without a name shows its title.
    nameless = query_rows(SAMPLE, "MATCH (a:Agreement) WHERE a.name IS NULL RETURN a.id, a.title")
    for agreement_id, title in nameless:
        check(g.nodes[agreement_id]["label"] == title, f"{agreement_id}: label is not the title")


def read_gexf(path):
    import networkx as nx
    from networkx.readwrite.gexf import GEXF
    # networkx before 3.3 knows GEXF 1.1 and 1.2 only: teach it 1.3's namespace, as
    # docs/export.md tells researchers to.
    if "1.3" not in GEXF.versions:
        GEXF.versions["1.3"] = dict(GEXF.versions["1.2draft"], NS_GEXF="http://gexf.net/1.3",
                                    NS_VIZ="http://gexf.net/1.3/viz", VERSION="1.3")
    return nx.read_gexf(path)


def graphml_loads_in_networkx():
    import networkx as nx
    g = nx.read_graphml(export(SAMPLE, "graphml", "sample.graphml"))
    check_counts(g, stats(SAMPLE))
    check_typed_graph(g, "label")
    with open(export(SAMPLE, "graphml", "sample.graphml")) as f:
        check('edgedefault="directed"' in f.read(), "edgedefault is not directed")
    t = nx.read_graphml(export(TRICKY, "graphml", "tricky.graphml"))
    odd = 'firm:quote"back\\slash<&>'
    check(odd in t, f"the id with quotes and markup is not read back: {list(t)}")
    check(t.nodes[odd]["name"] == 'Line one\nline two, "quoted"', repr(t.nodes[odd]["name"]))
    check(json.loads(t.nodes[odd]["lists"]) == ["a;b", "c|d"], "list elements changed")
    check(t.nodes["mun:a"]["location_lat"] == 32.099998474121094 or
          abs(t.nodes["mun:a"]["location_lat"] - 32.1) < 1e-6, "location_lat")
    check(len(t.get_edge_data("firm:formula", odd)) == 2, "two OWNED_BY between one pair")
    check(t.nodes["mun:a"]["label"] == "A town" and
          t.nodes["mun:a"]["label_property"] == "undeclared", repr(t.nodes["mun:a"]))
    check_not_xml_characters_replaced(t)
    # A property already called label_property keeps that name; label gets the next.
    registry = os.path.join(TMP, "labels.json")
    with open(registry, "w", encoding="utf-8") as f:
        json.dump({"format": "twinscan/1", "source": {"name": "labels"},
                   "entities": [{"id": "mun:b", "kind": "Municipality", "name": "B",
                                 "label": "mine", "label_property": "also mine"}]}, f)
    for fmt in ("graphml", "gexf"):
        path = export(["--registry", registry], fmt, "labels." + fmt)
        b = (nx.read_graphml(path) if fmt == "graphml" else read_gexf(path)).nodes["mun:b"]
        named = {k: v for k, v in b.items() if k.startswith("label_")}
        check(named == {"label_property": "also mine", "label_property_2": "mine"},
              f"{fmt}: properties named like attributes: {named}")


def gexf_loads_in_networkx():
    path = export(SAMPLE, "gexf", "sample.gexf")
    with open(path) as f:
        text = f.read()
    check('xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text, "not GEXF 1.3")
    check('defaultedgetype="directed"' in text, "defaultedgetype is not directed")
    g = read_gexf(path)
    check_counts(g, stats(SAMPLE))
    check_typed_graph(g, "relation")
    check(all(d.get("label") == d.get("relation") for _, _, d in g.edges(data=True)),
          "an edge's label is not its relation kind")
    check(g.nodes["mun:haifa"]["label"] == "Haifa", g.nodes["mun:haifa"])
    t = read_gexf(export(TRICKY, "gexf", "tricky.gexf"))
    odd = 'firm:quote"back\\slash<&>'
    check(t.nodes[odd]["label"] == 'Line one\nline two, "quoted"', repr(t.nodes[odd]))
    check(len(t.get_edge_data("firm:formula", odd)) == 2, "two OWNED_BY between one pair")
    check_not_xml_characters_replaced(t)


def check_not_xml_characters_replaced(g):
    """Characters XML 1.0 cannot carry come back as U+FFFD, in ids and values alike."""
    node = g.nodes.get("firm:bell\ufffd")
    check(node is not None, f"the id with a control character: {list(g)}")
    check(node.get("name", node.get("label")) == "Bell\ufffd and the noncharacters \ufffd\ufffd",
          repr(node))


def dot_parses_in_graphviz():
    dot = shutil.which("dot")
    if dot is None:
        print("skipped: Graphviz's dot is not installed")
        sys.exit(77)
    for registry, name in ((SAMPLE, "sample.dot"), (TRICKY, "tricky.dot")):
        path = export(registry, "dot", name)
        p = subprocess.run([dot, "-Tcanon", path], capture_output=True, text=True)
        check(p.returncode == 0 and not p.stderr, f"dot -Tcanon {name}: {p.returncode} {p.stderr}")
        # Count what Graphviz read: its JSON output lists the objects and edges.
        p = subprocess.run([dot, "-Tjson0", path], capture_output=True, text=True)
        check(p.returncode == 0, p.stderr)
        g = json.loads(p.stdout)
        s = stats(registry)
        check(len(g.get("objects", [])) == s["entities"], f"{name}: nodes")
        check(len(g.get("edges", [])) == s["relations"], f"{name}: edges (parallel kept)")
        if registry is TRICKY:
            names = {o["name"] for o in g["objects"]}
            check('firm:quote"back\\\\slash<&>' in names,
                  f"ids {names}")
            labels = {o.get("label") for o in g["objects"]}
            check('=HYPERLINK("http://evil.example","x")' in labels, f"labels {labels}")
    # A value past Graphviz's 16 KiB for one quoted string (a treaty's full text), in
    # several scripts, and properties named like the attributes written beside them:
    # every value reads back whole, under a name of its own.
    long_text = ("Article 1. 第一条 المادة " * 1500)[:30000] + ' "quoted" at the end'
    registry = os.path.join(TMP, "long.json")
    with open(registry, "w", encoding="utf-8") as f:
        json.dump({"format": "twinscan/1", "source": {"name": "long"},
                   "entities": [{"id": "agr:long", "kind": "Agreement", "name": "Long",
                                 "text": long_text, "label": "mine",
                                 "label_property": "also mine"}]}, f, ensure_ascii=False)
    path = export(["--registry", registry], "dot", "long.dot")
    p = subprocess.run([dot, "-Tjson0", path], capture_output=True, text=True, errors="replace")
    check(p.returncode == 0 and not p.stderr, f"dot -Tjson0 long.dot: {p.returncode} {p.stderr}")
    node = json.loads(p.stdout)["objects"][0]
    check(node.get("text") == long_text, f"the long value read back: {len(node.get('text', ''))}"
          f" characters of {len(long_text)}")
    # label_property keeps its own name; label, taken by the drawing, gets the next free.
    named = {k: v for k, v in node.items() if k.startswith("label")}
    check(named == {"label": "Long", "label_property": "also mine", "label_property_2": "mine"},
          f"properties named like attributes: {named}")


# Neo4j's import header grammar (operations manual, "CSV header format"): a property
# field is NAME:TYPE with one of the types below, [] for an array, and a point or
# temporal type may carry a {configuration}; the special fields are :ID (optionally
# with a property name and an id group), :LABEL, :START_ID, :END_ID, :TYPE, :IGNORE.
NEO4J_TYPES = ("int|long|float|double|boolean|byte|short|char|string|point|date|localtime|"
               "time|localdatetime|datetime|duration")
# Names are letters (of any script), digits and _: nothing Neo4j's header would split on.
PROPERTY_FIELD = re.compile(r"^\w+:(%s)(\{[^{}]*\})?(\[\])?$" % NEO4J_TYPES)
ID_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)?:ID(\([A-Za-z0-9_]+\))?$")
SPECIAL = {":LABEL", ":TYPE", ":START_ID", ":END_ID", ":IGNORE"}


def neo4j_headers_follow_import_grammar():
    for registry, name in ((SAMPLE, "neo-sample"), (TRICKY, "neo-tricky")):
        folder = export(registry, "neo4j", name)
        files = sorted(os.listdir(folder))
        nodes = [f for f in files if f.startswith("nodes-")]
        rels = [f for f in files if f.startswith("relationships-")]
        check("README.md" in files, "no README.md")
        with open(os.path.join(folder, "README.md")) as f:
            readme = f.read()
        check("neo4j-admin database import full" in readme, "README lacks the command")
        for f in nodes + rels:
            check(f"--{'nodes' if f in nodes else 'relationships'}={f}" in readme,
                  f"README's command does not name {f}")
        check("--array-delimiter=U+001F" in readme, "README does not give the array delimiter")
        ids = set()
        s = stats(registry)
        kinds = {}
        for f in nodes:
            with open(os.path.join(folder, f), newline="") as fh:
                rows = list(csv.reader(fh))
            header = rows[0]
            for field in header:
                check(PROPERTY_FIELD.match(field) or ID_FIELD.match(field) or field in SPECIAL,
                      f"{f}: header field {field!r} is not in Neo4j's grammar")
            check(header[0] == "id:ID" and header[1] == ":LABEL", f"{f}: {header[:2]}")
            for row in rows[1:]:
                check(len(row) == len(header), f"{f}: a row of {len(row)} fields")
                ids.add(row[0])
                kinds[row[1]] = kinds.get(row[1], 0) + 1
        check(len(ids) == s["entities"], f"{len(ids)} node ids, {s['entities']} entities")
        check(kinds == {k: n for k, n in s["entities_by_kind"].items() if n}, f"labels {kinds}")
        relations = 0
        for f in rels:
            with open(os.path.join(folder, f), newline="") as fh:
                rows = list(csv.reader(fh))
            header = rows[0]
            for field in header:
                check(PROPERTY_FIELD.match(field) or field in SPECIAL,
                      f"{f}: header field {field!r} is not in Neo4j's grammar")
            check(header[:3] == [":START_ID", ":END_ID", ":TYPE"], f"{f}: {header[:3]}")
            for row in rows[1:]:
                relations += 1
                check(row[0] in ids and row[1] in ids, f"{f}: an end is in no nodes file: {row}")
        check(relations == s["relations"], f"{relations} relationships, {s['relations']}")
        if registry is SAMPLE:
            with open(os.path.join(folder, "relationships-OWNED_BY.csv"), newline="") as fh:
                header = next(csv.reader(fh))
            check("share:double" in header, f"OWNED_BY header {header}")
            with open(os.path.join(folder, "nodes-Agreement.csv"), newline="") as fh:
                rows = list(csv.DictReader(fh))
            header = list(rows[0])
            for field in ("clauses:string[]", "signed_on:date", "signed_on_partial:string",
                          "assumed:boolean"):
                check(field in header, f"Agreement header lacks {field}: {header}")
            erfurt = next(r for r in rows if r["id:ID"] == "agr:haifa-erfurt-twinning")
            check(erfurt["signed_on:date"] == "2005-06-12" and
                  erfurt["signed_on_partial:string"] == "", "a full date")
            shanghai = next(r for r in rows if r["id:ID"] == "agr:haifa-shanghai-twinning-1993")
            check(shanghai["signed_on:date"] == "" and
                  shanghai["signed_on_partial:string"] == "1993", "a year-only date")
        else:
            with open(os.path.join(folder, "nodes-Firm.csv"), newline="") as fh:
                rows = {r["id:ID"]: r for r in csv.DictReader(fh)}
            odd = rows['firm:quote"back\\slash<&>']
            check(odd["lists:string[]"].split("\x1f") == ["a;b", "c|d"], repr(odd))
            check(rows["firm:formula"]["name:string"].startswith("=HYPERLINK"),
                  "the Neo4j files must not be guarded like the spreadsheet CSV")
            with open(os.path.join(folder, "nodes-Municipality.csv"), newline="") as fh:
                town = next(csv.DictReader(fh))
            check(town["location:point{crs:WGS-84}"].startswith("{latitude:32.1"), repr(town))


def neo4j_names_stay_distinct_and_keep_their_script():
    # Kinds that differ only in a space, a French kind, a relation kind with a space, and
    # properties whose names differ only in punctuation or are Japanese: every one keeps
    # a field or a file of its own, and letters beyond ASCII are kept.
    schema = os.path.join(TMP, "schema.json")
    registry = os.path.join(TMP, "names.json")
    with open(schema, "w", encoding="utf-8") as f:
        json.dump({"format": "twinscan-schema/1",
                   "entities": {"Local Council": {"description": "a council"},
                                "Local_Council": {"description": "another"},
                                "Préfecture": {"description": "a prefecture"}},
                   "relations": {"ADVISES ON": {"from": "*", "to": "*"}}}, f)
    with open(registry, "w", encoding="utf-8") as f:
        json.dump({"format": "twinscan/1", "source": {"name": "names"},
                   "entities": [
                       {"id": "lc:1", "kind": "Local Council", "name": "One",
                        "a-b": "dash", "a b": "space", "a_b": "underscore", "人口": 1500000},
                       {"id": "lc:2", "kind": "Local_Council", "name": "Two"},
                       {"id": "pf:1", "kind": "Préfecture", "name": "Three"}],
                   "relations": [{"kind": "ADVISES ON", "from": "lc:1", "to": "pf:1"}]},
                  f, ensure_ascii=False)
    folder = export(["--registry", registry, "--schema", schema], "neo4j", "neo-names")
    files = sorted(os.listdir(folder))
    check(len({f.lower() for f in files}) == len(files), f"files differ only in case: {files}")
    nodes = [f for f in files if f.startswith("nodes-")]
    check(len(nodes) == 3, f"three kinds, node files {nodes}")
    check("nodes-Préfecture.csv" in nodes, f"the French kind's file: {nodes}")
    labels = {}
    for f in nodes:
        with open(os.path.join(folder, f), newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        names = [field.split(":")[0] for field in rows[0] if not field.startswith(":")]
        check(len(names) == len(set(names)), f"{f}: a field name repeats: {rows[0]}")
        for field in rows[0]:
            check(PROPERTY_FIELD.match(field) or ID_FIELD.match(field) or field in SPECIAL,
                  f"{f}: header field {field!r} is not in Neo4j's grammar")
        for row in rows[1:]:
            labels[row[0]] = row[1]
            if row[0] == "lc:1":
                values = dict(zip(rows[0], row))
                check(values.get("人口:long") == "1500000", f"the Japanese property: {values}")
                check(sorted(v for k, v in values.items() if k.startswith("a_b")) ==
                      ["dash", "space", "underscore"], f"a-b, a b, a_b: {values}")
                # The property named a_b keeps its name: n.a_b is its value.
                check(values.get("a_b:string") == "underscore", f"a_b renamed: {values}")
    check(labels == {"lc:1": "Local Council", "lc:2": "Local_Council", "pf:1": "Préfecture"},
          f"labels are the kinds as they are: {labels}")
    with open(os.path.join(folder, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    for f in files:
        if f != "README.md":
            check(f"={f} " in readme, f"README's command does not name {f}")
    check("FOR (n:`Local Council`)" in readme, "the index of a kind with a space is quoted")


def csv_parses_and_guards_formulas():
    folder = export(TRICKY, "csv", "csv-tricky")
    check(sorted(os.listdir(folder)) == ["edges.csv", "nodes.csv"], os.listdir(folder))
    with open(os.path.join(folder, "nodes.csv"), newline="", encoding="utf-8") as f:
        raw = f.read()
    check("\r\n" in raw, "rows do not end with CRLF")
    with open(os.path.join(folder, "nodes.csv"), newline="", encoding="utf-8") as f:
        nodes = {r["id"]: r for r in csv.DictReader(f)}
    check(nodes["firm:formula"]["name"] == "'=HYPERLINK(\"http://evil.example\",\"x\")",
          f"a name starting with = is not guarded: {nodes['firm:formula']['name']!r}")
    check(nodes["person:minus"]["name"] == "'-2+3", "a name starting with - is not guarded")
    check(nodes["agr:x"]["label"] == "'@title", "a title starting with @ is not guarded")
    odd = nodes['firm:quote"back\\slash<&>']
    check(odd["name"] == 'Line one\nline two, "quoted"', repr(odd["name"]))
    check(nodes["firm:formula"]["state_owned"] == "true", "a boolean")
    check(nodes["mun:a"]["location_lat"] == "32.1", nodes["mun:a"])
    check(nodes["mun:a"]["label"] == "A town" and nodes["mun:a"]["label_property"] == "undeclared",
          "an undeclared property called label hides the label")
    with open(os.path.join(folder, "edges.csv"), newline="", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    check(len(edges) == 5, f"{len(edges)} edges")
    check(sorted(e["share"] for e in edges if e["kind"] == "OWNED_BY") == ["0.25", "0.5"],
          "parallel OWNED_BY and its shares")
    sample = export(SAMPLE, "csv", "csv-sample")
    s = stats(SAMPLE)
    with open(os.path.join(sample, "nodes.csv"), newline="", encoding="utf-8") as f:
        check(len(list(csv.DictReader(f))) == s["entities"], "sample nodes")
    with open(os.path.join(sample, "edges.csv"), newline="", encoding="utf-8") as f:
        check(len(list(csv.DictReader(f))) == s["relations"], "sample edges")


FTM_SCHEMATA = {"PublicBody", "Organization", "Company", "Person", "Contract", "Project",
                "RealEstate", "LegalEntity", "Ownership", "Representation", "Membership",
                "ProjectParticipant", "UnknownLink"}


def ftm_lines_are_entities():
    path = export(SAMPLE, "ftm", "sample.ftm")
    s = stats(SAMPLE)
    with open(path, encoding="utf-8") as f:
        entities = [json.loads(line) for line in f]
    check(len(entities) == s["entities"] + s["relations"], f"{len(entities)} lines")
    ids = set()
    for e in entities:
        check(set(e) == {"id", "schema", "properties"}, f"keys {set(e)}")
        check(e["schema"] in FTM_SCHEMATA, f"schema {e['schema']}")
        check(all(isinstance(v, list) and all(isinstance(x, str) for x in v)
                  for v in e["properties"].values()), f"{e['id']}: values are not string lists")
        ids.add(e["id"])
    check(len(ids) == len(entities), "ids are not unique")
    # Every id and reference is one FtM's entity type takes (followthemoney/types/entity.py);
    # an id that was not keeps its form as it was in notes (summary for a relation).
    ftm_entity_id = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z\.\-]*[0-9a-zA-Z])?$")
    check(all(ftm_entity_id.match(e["id"]) for e in entities),
          "an id FtM would not take: " + next((e["id"] for e in entities
                                                  if not ftm_entity_id.match(e["id"])), ""))
    by_id = {e["id"]: e for e in entities}
    check(by_id["firm.3asipg"]["schema"] == "Company", by_id["firm.3asipg"])
    check("id: firm:sipg" in by_id["firm.3asipg"]["properties"]["notes"][0],
          "the registry's id is not kept in notes")
    check(by_id["mun.3ahaifa"]["schema"] == "PublicBody", by_id["mun.3ahaifa"])
    owned = [e for e in entities if e["schema"] == "Ownership"]
    check(owned and all(e["properties"]["asset"][0] in by_id and
                        e["properties"]["owner"][0] in by_id for e in owned), "Ownership ends")
    check(any(e["properties"].get("percentage") == ["35"] for e in owned), "share 0.35 → 35 %")
    # FtM requires a name of every entity and a title of a contract.
    check(all(e["properties"].get("name") for e in entities if e["schema"] in (
        "PublicBody", "Organization", "Company", "Person", "Contract", "Project", "RealEstate")),
          "an entity without a name")
    check(all(e["properties"].get("title") for e in entities if e["schema"] == "Contract"),
          "a contract without a title")
    links = [e for e in entities if e["schema"] not in (
        "PublicBody", "Organization", "Company", "Person", "Contract", "Project", "RealEstate")]
    check(all(e["properties"]["summary"][0].startswith("relation: ") and e["properties"]["role"]
              for e in links), "a relation without its kind and role")
    check(any(e["properties"].get("role") == ["twinned with"] for e in links), "twinned with")
    for e in entities:
        for prop in ("subject", "object", "participant", "project", "agent", "client", "member",
                     "organization"):
            for ref in e["properties"].get(prop, []) if e["schema"] not in (
                    "PublicBody", "Organization", "Company", "Contract", "Project") else []:
                check(ref in by_id, f"{e['id']}: {prop} {ref} is not exported")


def query_and_neighbourhood_subgraphs():
    import networkx as nx
    # A query's result: the entities it returns and the relations among them.
    rows = query_rows(SAMPLE, "MATCH (f:Firm)-[:OWNED_BY]->(g) RETURN f, g")
    returned = {x for row in rows for x in row}
    g = nx.read_graphml(export(SAMPLE, "graphml", "q.graphml", "--query",
                               "MATCH (f:Firm)-[:OWNED_BY]->(g) RETURN f, g"))
    check(set(g.nodes) == returned, f"query nodes {set(g.nodes) ^ returned}")
    among = query_rows(SAMPLE, "MATCH (a)-[r]->(b) RETURN a.id, b.id, type(r)")
    expected = sum(1 for a, b, _ in among if a in returned and b in returned)
    check(g.number_of_edges() == expected, f"{g.number_of_edges()} edges, {expected} among them")
    # A path's entities and relations, filtered to some relation kinds.
    g = nx.read_graphml(export(SAMPLE, "graphml", "p.graphml", "--relations", "OWNED_BY",
                               "--query", "MATCH p = (f:Firm)-[:OWNED_BY*]->(:ForeignGovernment) "
                               "RETURN p"))
    check(g.number_of_edges() > 0 and
          all(d["label"] == "OWNED_BY" for _, _, d in g.edges(data=True)), "--relations")
    # A neighbourhood: what networkx finds within 2 relations either way.
    full = nx.read_graphml(export(SAMPLE, "graphml", "all.graphml"))
    near = nx.single_source_shortest_path_length(full.to_undirected(as_view=True), "mun:haifa",
                                                 cutoff=2)
    g = nx.read_graphml(export(SAMPLE, "graphml", "n.graphml", "--around", "mun:haifa",
                               "--depth", "2"))
    check(set(g.nodes) == set(near), f"neighbourhood differs: {set(g.nodes) ^ set(near)}")
    check(g.number_of_edges() == full.subgraph(near).number_of_edges(), "neighbourhood edges")
    # The whole registry with --relations: every entity, only relations of that kind.
    g = nx.read_graphml(export(SAMPLE, "graphml", "twinned.graphml", "--relations",
                               "TWINNED_WITH"))
    s = stats(SAMPLE)
    check(g.number_of_nodes() == s["entities"], "entities left out by --relations")
    check(g.number_of_edges() == s["relations_by_kind"]["TWINNED_WITH"],
          f"{g.number_of_edges()} edges, {s['relations_by_kind']['TWINNED_WITH']} ties")


def progress_on_a_terminal_silent_when_piped():
    import pty
    generated = os.path.join(TMP, "generated")
    run("-q", "generate", "--seed", "3", "--entities", "30000", "--output", generated)
    registry = ["--registry", generated]
    total = stats(registry)
    total = total["entities"] + total["relations"]
    check(total > 65536, f"only {total} entities and relations")
    args = [TWINSCAN, "export", *registry, "--format", "csv"]
    # Standard error a terminal: a progress line that counts to the total, then cleared.
    leader, follower = pty.openpty()
    p = subprocess.Popen(args + ["--output", os.path.join(TMP, "tty")],
                         stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    check(p.wait() == 0, "export on a terminal failed")
    text = seen.decode()
    check("\rexporting 65536/%d" % total in text, f"no progress line: {text[:200]!r}")
    check("exporting %d/%d" % (total, total) in text, "the progress does not reach the total")
    # Piped: no progress line, only the closing summary.
    p = subprocess.run(args + ["--output", os.path.join(TMP, "piped")], capture_output=True,
                       text=True)
    check(p.returncode == 0 and "exporting" not in p.stderr, f"piped: {p.stderr!r}")

def whole_and_fractional_numbers_read_back_as_numbers():
    # JSON does not tell 2 from 2.0: an undeclared key holding 2 on one relation and 2.5 on
    # another is one number column, read back as floats, not as text.
    doc = {"format": "twinscan/1", "entities": [
        {"id": "mun:a", "kind": "Municipality", "name": "A", "country": "PL", "score": 3},
        {"id": "mun:b", "kind": "Municipality", "name": "B", "country": "PL", "score": 0.5},
        {"id": "city:c", "kind": "ForeignCity", "name": "C", "country": "CZ"}],
        "relations": [
        {"from": "mun:a", "to": "city:c", "kind": "TWINNED_WITH", "weight": 2},
        {"from": "mun:b", "to": "city:c", "kind": "TWINNED_WITH", "weight": 2.5}]}
    path = os.path.join(TMP, "numbers.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    registry = ["--registry", path]
    import networkx as nx
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", read_gexf)):
        g = read(export(registry, fmt, "numbers." + fmt))
        weights = sorted(d for _, _, d in g.edges(data="weight"))
        check(weights == [2.0, 2.5] and all(isinstance(w, float) for w in weights),
              f"{fmt}: weights read back as {weights!r}")
        scores = sorted(d for _, d in g.nodes(data="score") if d is not None)
        check(scores == [0.5, 3.0] and all(isinstance(x, float) for x in scores),
              f"{fmt}: scores read back as {scores!r}")
    folder = export(registry, "neo4j", "numbers-neo4j")
    with open(os.path.join(folder, "relationships-TWINNED_WITH.csv"), encoding="utf-8") as f:
        header = f.readline()
    check(re.search(r"(^|,)weight:(float|double)(,|$)", header.strip()) is not None,
          f"neo4j: weight is not a number column: {header.strip()}")


def ids_and_names_that_could_collide_stay_apart():
    # An id that is already FtM's form of another (mun.3ab is mun:b's) keeps apart from
    # it, and so do ids that need a leading mark; a property named like the field Neo4j
    # derives for a partial date (since_partial) keeps its own name.
    doc = {"format": "twinscan/1", "entities": [
        {"id": "mun:b", "kind": "Municipality", "name": "B", "country": "PL"},
        {"id": "mun.3ab", "kind": "Municipality", "name": "B2", "country": "PL"},
        {"id": "-a", "kind": "ForeignCity", "name": "C", "country": "CZ"},
        {"id": "x..2da", "kind": "ForeignCity", "name": "D", "country": "CZ"},
        {"id": "0-a", "kind": "ForeignCity", "name": "E", "country": "CZ"}],
        "relations": [
        {"from": "mun:b", "to": "-a", "kind": "TWINNED_WITH", "since": "2020",
         "since_partial": "hello"}]}
    path = os.path.join(TMP, "collide.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    registry = ["--registry", path]
    with open(export(registry, "ftm", "collide.ftm"), encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f]
    check(len(ids) == len(set(ids)) == 6, f"FtM ids collide: {ids}")
    ftm_entity_id = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z\.\-]*[0-9a-zA-Z])?$")
    check(all(ftm_entity_id.match(i) for i in ids), f"an id FtM would not take: {ids}")
    folder = export(registry, "neo4j", "collide-neo4j")
    with open(os.path.join(folder, "relationships-TWINNED_WITH.csv"), newline="",
              encoding="utf-8") as f:
        rows = list(csv.reader(f))
    values = dict(zip(rows[0], rows[1]))
    check(values.get("since_partial:string") == "hello", f"since_partial renamed: {values}")
    check("2020" in values.values(), f"the partial date is lost: {values}")


GROUPS = {
    "graphml-loads-in-networkx": graphml_loads_in_networkx,
    "gexf-loads-in-networkx": gexf_loads_in_networkx,
    "dot-parses-in-graphviz": dot_parses_in_graphviz,
    "neo4j-headers-follow-import-grammar": neo4j_headers_follow_import_grammar,
    "neo4j-names-stay-distinct-and-keep-their-script":
        neo4j_names_stay_distinct_and_keep_their_script,
    "csv-parses-and-guards-formulas": csv_parses_and_guards_formulas,
    "ftm-lines-are-entities": ftm_lines_are_entities,
    "query-and-neighbourhood-subgraphs": query_and_neighbourhood_subgraphs,
    "progress-on-a-terminal-silent-when-piped": progress_on_a_terminal_silent_when_piped,
    "whole-and-fractional-numbers-read-back-as-numbers":
        whole_and_fractional_numbers_read_back_as_numbers,
    "ids-and-names-that-could-collide-stay-apart": ids_and_names_that_could_collide_stay_apart,
}

try:
    GROUPS[GROUP]()
finally:
    shutil.rmtree(TMP, ignore_errors=True)
print("ok:", GROUP)
