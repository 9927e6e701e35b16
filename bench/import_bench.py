#!/usr/bin/env python3
"""Times `twinscan import` on generated inputs, whole process, and prints MB/s.

  bench/import_bench.py TWINSCAN [--mb 100] [--formats ftm,wikidata,bods,csv] [--runs 1] [--keep DIR]

Generates, per format, an input of about --mb megabytes shaped like the real thing:
  ftm       OpenSanctions-style FollowTheMoney JSON lines: companies (multi-valued names,
            topics, datasets), public bodies, people, ownerships with percentages,
            directorships, and schemata left out (Sanction, Address);
  wikidata  SPARQL JSON results of P190 twinnings (pretty-printed as the query service
            sends them), with labels in several languages, countries, dates, coordinates;
  csv       a register of municipal agreements (semicolon-delimited, a byte-order mark,
            Hebrew and Chinese names, DD/MM/YYYY dates, "51,5 %" shares, quoted notes with
            delimiters, doubled quotes and line breaks) and its mapping: agreements, the
            municipalities, foreign cities and firms they name (repeated, kept once),
            PARTY_TO, TWINNED_WITH and OWNED_BY.
Then runs `twinscan -q import FORMAT INPUT --home-country IL -o OUT` --runs times and
prints the median wall time and the median CPU time (user + system) of the process (each
run writing a new document, the last run's deleted and written to disk before it), the
input MB/s of each and the output size, with the load average before and after (on a
shared machine the wall time grows with the load; the CPU time much less). With --keep,
a later run reuses the inputs kept there. The imported
document is checked to parse as JSON with the entity and relation counts expected.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

COUNTRIES = ["CN", "RU", "IR", "DE", "FR", "US", "GB", "JP", "KR", "IN", "BR", "TR", "IL"]
WORDS = ["Harbour", "Ocean", "Eastern", "Northern", "Star", "Dragon", "Silk", "Road", "Port",
         "Rail", "Energy", "Telecom", "Smart", "City", "Bridge", "Steel", "Shipping",
         "Logistics", "Holdings", "Engineering", "Construction", "Industrial", "Trade"]
SUFFIXES = ["Co., Ltd.", "Group", "Holdings Ltd", "Corporation", "International"]
DATASETS = ["us_dod_chinese_milcorps", "us_bis_entity", "us_ofac_sdn", "eu_fsf", "gb_hmt_sanctions",
            "wd_peps", "ext_cn_companies"]
TOPICS = ["gov.soe", "mil", "sanction", "role.pep", "export.control", "corp.public"]


def company_name(rng):
    return " ".join(rng.sample(WORDS, 3)) + " " + rng.choice(SUFFIXES)


def generate_ftm(path, target_bytes, rng):
    """Returns (entities, relations) the import should write."""
    entities = relations = 0
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target_bytes:
            n += 1
            cid = f"NK-c{n}"
            country = rng.choice(COUNTRIES).lower()
            lines = []
            props = {"name": [company_name(rng), "港湾建设集团有限公司" if n % 3 == 0 else company_name(rng)],
                     "alias": [company_name(rng)], "country": [country], "jurisdiction": [country],
                     "registrationNumber": [f"9111{n:014d}"],
                     "topics": rng.sample(TOPICS, rng.randint(0, 3)),
                     "sourceUrl": [f"https://example.org/registry/{n}"]}
            lines.append({"id": cid, "schema": "Company", "caption": props["name"][0], "properties": props,
                          "datasets": rng.sample(DATASETS, rng.randint(1, 3)), "referents": [],
                          "target": True, "first_seen": "2023-01-10T00:00:00",
                          "last_seen": "2024-05-01T00:00:00", "last_change": "2024-03-01T00:00:00"})
            entities += 1
            if n % 10 == 1:
                lines.append({"id": f"NK-pb{n}", "schema": "PublicBody",
                              "properties": {"name": [f"State Assets Commission {n}"],
                                             "country": [rng.choice(COUNTRIES[:-1]).lower()]},
                              "datasets": ["wd_peps"]})
                entities += 1
            if n % 10 != 1:
                owner = f"NK-pb{n - (n - 1) % 10}" if n % 2 else f"NK-c{max(1, n - 1)}"
                lines.append({"id": f"own-{n}", "schema": "Ownership",
                              "properties": {"owner": [owner], "asset": [cid],
                                             "percentage": [str(rng.randint(1, 100))],
                                             "startDate": [f"{rng.randint(1990, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"]},
                              "datasets": ["ext_cn_companies"]})
                relations += 1
            if n % 4 == 0:
                pid = f"NK-p{n}"
                lines.append({"id": pid, "schema": "Person",
                              "properties": {"name": [f"Person {n}", "李伟"], "nationality": [country],
                                             "birthDate": ["1961-05-02"], "topics": ["role.rca"]},
                              "datasets": ["wd_peps"]})
                lines.append({"id": f"dir-{n}", "schema": "Directorship",
                              "properties": {"director": [pid], "organization": [cid], "role": ["Chairman"],
                                             "startDate": ["2018-06"]}, "datasets": ["wd_peps"]})
                entities += 1
                relations += 1
            if n % 5 == 0:
                lines.append({"id": f"san-{n}", "schema": "Sanction",
                              "properties": {"entity": [cid], "authority": ["OFAC"], "program": ["SDGT"]},
                              "datasets": ["us_ofac_sdn"]})
                lines.append({"id": f"addr-{n}", "schema": "Address",
                              "properties": {"full": [f"{n} Harbour Road, Tianjin"], "country": [country]},
                              "datasets": ["us_bis_entity"]})
            text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
            out.write(text)
            written += len(text.encode("utf-8"))
    return entities, relations


def term(value, kind="literal", lang=None, datatype=None):
    t = {"type": kind, "value": value}
    if lang:
        t["xml:lang"] = lang
    if datatype:
        t["datatype"] = datatype
    return t


def city_country(city):
    return "IL" if city % 7 == 0 else COUNTRIES[city % 12]


def generate_wikidata(path, target_bytes, rng):
    cities = 20000
    rows = []
    written = 0
    pairs = set()
    head = '{\n  "head" : {\n    "vars" : [ "item", "itemLabel", "twin", "twinLabel", "itemCountry", ' \
           '"twinCountry", "start", "startPrecision", "end", "itemCoord", "twinCoord" ]\n  },\n' \
           '  "results" : {\n    "bindings" : [ '
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        first = True
        while written < target_bytes:
            a, b = rng.randrange(cities), rng.randrange(cities)
            if a == b:
                continue
            row = {
                "item": term(f"http://www.wikidata.org/entity/Q{1000 + a}", "uri"),
                "itemLabel": term(f"City {a}", lang="en"),
                "twin": term(f"http://www.wikidata.org/entity/Q{1000 + b}", "uri"),
                "twinLabel": term(f"Stadt {b}" if b % 2 else f"City {b}", lang="de" if b % 2 else "en"),
                "itemCountry": term(city_country(a)),
                "twinCountry": term(city_country(b)),
                "start": term(f"{rng.randint(1950, 2024)}-01-01T00:00:00Z",
                              datatype="http://www.w3.org/2001/XMLSchema#dateTime"),
                "startPrecision": term("9", datatype="http://www.w3.org/2001/XMLSchema#integer"),
                "itemCoord": term(f"Point({(a % 360) - 180 + 0.123456} {(a % 180) - 90 + 0.654321})",
                                  datatype="http://www.opengis.net/ont/geosparql#wktLiteral"),
                "twinCoord": term(f"Point({(b % 360) - 180 + 0.5} {(b % 180) - 90 + 0.25})",
                                  datatype="http://www.opengis.net/ont/geosparql#wktLiteral"),
            }
            text = ("" if first else ", ") + json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n    ")
            first = False
            out.write(text)
            written += len(text)
            if city_country(a) != "IL" or city_country(b) != "IL":
                pairs.add((a, b))
        out.write(" ]\n  }\n}\n")
    return None, len(pairs)


def bods_statement(n, record_id, record_type, details, status="new", date="2024-05-10"):
    return {"statementId": "%08x-%04x-4c1a-9e55-%012x" % (n, n % 65536, n),
            "declarationSubject": record_id, "statementDate": date,
            "publicationDetails": {"publicationDate": date, "bodsVersion": "0.4",
                                   "publisher": {"name": "Example ownership register"}},
            "recordId": record_id, "recordStatus": status, "recordType": record_type,
            "recordDetails": details}


def generate_bods(path, target_bytes, rng):
    """BODS 0.4 JSON lines as Open Ownership's bulk data: state bodies, firms (identifiers,
    alternate names, jurisdictions), persons with two names; relationships with exact and
    ranged shares, board seats, indirect interests (skipped by the import), and one
    ownership in 50 closed by a later statement. Returns (entities, relations) expected."""
    bodies = [f"state-body-{cc}" for cc in COUNTRIES if cc != "IL"]  # IL would be CentralAuthority
    entities = relations = 0
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        def emit(obj):
            nonlocal n, written
            n += 1
            text = json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"
            out.write(text)
            written += len(text.encode("utf-8"))

        for rid in bodies:
            cc = rid[-2:]
            emit(bods_statement(n, rid, "entity", {
                "isComponent": False, "entityType": {"type": "stateBody", "subtype": "stateAgency"},
                "name": f"State Assets Commission of {cc}", "alternateNames": [f"SAC {cc}"],
                "jurisdiction": {"name": cc, "code": cc}}))
            entities += 1
        k = 0
        while written < target_bytes:
            cc = rng.choice(COUNTRIES)
            rid = f"firm-{k}"
            emit(bods_statement(n, rid, "entity", {
                "isComponent": False, "entityType": {"type": "registeredEntity"},
                "name": company_name(rng), "alternateNames": ["港湾工程第%d有限公司" % k, f"HEC-{k}"],
                "jurisdiction": {"name": cc, "code": cc},
                "identifiers": [{"scheme": f"{cc}-REG", "id": "%09d" % (100000000 + k)}],
                "foundingDate": "19%02d-0%d-01" % (rng.randrange(50, 99), rng.randrange(1, 9))}))
            entities += 1
            owner = rng.choice(bodies) if k == 0 or rng.random() < 0.3 else f"firm-{rng.randrange(k)}"
            if rng.random() < 0.5:
                share = {"exact": rng.choice([100, 75.5, 51, 30, 12.5])}
            else:
                lo = rng.choice([25, 50, 75])
                share = {"minimum": lo, "maximum": lo + 25}
            emit(bods_statement(n, f"rel-{k}", "relationship", {
                "isComponent": False, "subject": rid, "interestedParty": owner,
                "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                               "beneficialOwnershipOrControl": False, "share": share,
                               "startDate": "2019-07-01"}]}))
            relations += 1
            if k % 3 == 0:
                pid = f"person-{k}"
                emit(bods_statement(n, pid, "person", {
                    "isComponent": False, "personType": "knownPerson",
                    "names": [{"type": "legal", "fullName": f"Person Number {k}"},
                              {"type": "transliteration", "fullName": "פרסון %d" % k}],
                    "nationalities": [{"name": cc, "code": cc}], "birthDate": "1970-02"}))
                entities += 1
                emit(bods_statement(n, f"rel-p-{k}", "relationship", {
                    "isComponent": False, "subject": rid, "interestedParty": pid,
                    "interests": [
                        {"type": "shareholding", "directOrIndirect": "direct",
                         "beneficialOwnershipOrControl": True, "share": {"exact": 10}},
                        {"type": "boardMember", "directOrIndirect": "direct", "startDate": "2021-01-15"},
                        {"type": "shareholding", "directOrIndirect": "indirect",
                         "share": {"minimum": 5, "maximum": 10}}]}))
                relations += 2  # OWNED_BY and REPRESENTS; the indirect interest is skipped
            if k % 50 == 49:
                emit(bods_statement(n, f"rel-{k}", "relationship", {}, status="closed", date="2024-06-01"))
                relations -= 1
            k += 1
    return entities, relations


CSV_MAPPING = {
    "format": "twinscan-csv-mapping/1",
    "csv": {"delimiter": ";"},
    "id": "agr:{No}",
    "kind": "Agreement",
    "columns": [
        {"template": "{Municipality}–{Partner}", "property": "name"},
        {"column": "Type", "property": "type",
         "values": {"עיר תאומה": "twinning", "מזכר הבנות": "mou", "הסכם מסגרת": "framework"}},
        {"column": "Signed", "property": "signed_on", "type": "date", "format": ["DD/MM/YYYY", "YYYY"]},
        {"column": "Notes", "property": "notes"},
        {"column": "Municipality", "relation": "PARTY_TO", "target": "mun:{|slug}", "direction": "in"},
        {"column": "Partner", "relation": "PARTY_TO", "target": "city:{|slug}", "direction": "in"},
    ],
    "entities": [
        {"id": "mun:{Municipality|slug}", "kind": "Municipality",
         "columns": [{"column": "Municipality", "property": "name"},
                     {"column": "Municipality (Hebrew)", "property": "aliases"},
                     {"value": "IL", "property": "country"},
                     {"column": "Partner", "relation": "TWINNED_WITH", "target": "city:{|slug}",
                      "when": {"column": "Type", "in": ["עיר תאומה"]},
                      "properties": [{"column": "Signed", "property": "since", "type": "date",
                                      "format": ["DD/MM/YYYY", "YYYY"]}]}]},
        {"id": "city:{Partner|slug}", "kind": "ForeignCity",
         "columns": [{"column": "Partner", "property": "name"},
                     {"column": "Partner (local)", "property": "aliases"},
                     {"column": "Country", "property": "country"},
                     {"column": "Population", "property": "population", "type": "int", "thousands": ".", "decimal": ","}]},
        {"id": "firm:{Operator|slug}", "kind": "Firm",
         "columns": [{"column": "Operator", "property": "name"},
                     {"column": "Partner", "relation": "OWNED_BY", "target": "city:{|slug}",
                      "properties": [{"column": "Foreign share", "property": "share", "type": "percentage",
                                      "decimal": ","}]}]},
    ],
}


def generate_csv(path, target_bytes, rng):
    """Writes the register and its mapping (PATH.mapping.json); returns (entities, relations)."""
    munis = [(f"Town {i}", f"עיירה {i}") for i in range(250)]
    types = ["עיר תאומה", "מזכר הבנות", "הסכם מסגרת"]
    with open(path + ".mapping.json", "w", encoding="utf-8") as f:
        json.dump(CSV_MAPPING, f, ensure_ascii=False, indent=1)
    ents = set()
    rels = set()
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        head = "\ufeffNo;Municipality;Municipality (Hebrew);Partner;Partner (local);Country;Population;" \
               "Type;Signed;Operator;Foreign share;Notes\r\n"
        out.write(head)
        written += len(head.encode("utf-8"))
        while written < target_bytes:
            n += 1
            m = rng.randrange(len(munis))
            c = rng.randrange(20000)
            firm = rng.randrange(5000)
            kind = types[n % 3]
            signed = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1990, 2024)}" \
                if n % 5 else str(rng.randint(1990, 2024))
            share = f"{rng.randint(0, 99)},{rng.randint(0, 9)} %" if n % 2 else f"{rng.randint(1, 99)}%"
            notes = "" if n % 3 == 0 else (f"\"Delegation; \"\"friendship\"\" visit\r\nfollow-up {n}\""
                                           if n % 3 == 1 else f"Trade fair {n}, culture week")
            row = f"{n};{munis[m][0]};{munis[m][1]};City {c};城市{c};{COUNTRIES[c % 12]};" \
                  f"{rng.randint(1, 30)}.{rng.randint(100, 999)}.{rng.randint(100, 999)};{kind};{signed};" \
                  f"Harbour Works {firm};{share};{notes}\r\n"
            out.write(row)
            written += len(row.encode("utf-8"))
            ents.update((f"agr:{n}", f"mun:{m}", f"city:{c}", f"firm:{firm}"))
            rels.update((("P", n, "m"), ("P", n, "c"), ("O", firm, c)))
            if n % 3 == 0:
                rels.add(("T", m, c))
    return len(ents), len(rels)


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("twinscan")
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--formats", default="ftm,wikidata,bods,csv")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", help="write the inputs and outputs here and keep them")
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="import-bench-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(20261130)
    failed = False
    try:
        for fmt in args.formats.split(","):
            src = os.path.join(work, f"input.{fmt}.json")
            dst = os.path.join(work, f"output.{fmt}.json")
            t0 = time.time()
            counts = src + ".counts"
            if args.keep and os.path.exists(counts):  # an input kept from an earlier run
                with open(counts, encoding="utf-8") as f:
                    want_entities, want_relations = json.load(f)
            else:
                gen = {"ftm": generate_ftm, "wikidata": generate_wikidata, "bods": generate_bods, "csv": generate_csv}[fmt]
                want_entities, want_relations = gen(src, int(args.mb * 1e6), rng)
                with open(counts, "w", encoding="utf-8") as f:
                    json.dump([want_entities, want_relations], f)
            size = os.path.getsize(src)
            print(f"{fmt}: input {size / 1e6:.1f} MB ready in {time.time() - t0:.1f} s", flush=True)
            walls = []
            cpus = []
            before = loadavg()
            for _ in range(args.runs):
                # Each run writes a new document: replacing the last run's would add the
                # deletion of a file of hundreds of megabytes to the time.
                if os.path.exists(dst):
                    os.remove(dst)
                os.sync()  # the last run's output on disk, not written back during this one
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                extra = ["--mapping", src + ".mapping.json"] if fmt == "csv" else []
                proc = subprocess.run([args.twinscan, "-q", "import", fmt, src, "--home-country", "IL",
                                       "-o", dst] + extra, capture_output=True, text=True)
                elapsed = time.perf_counter() - t
                if proc.returncode != 0:
                    print(f"{fmt}: import failed ({proc.returncode}): {proc.stderr[:2000]}")
                    failed = True
                    break
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
                walls.append(elapsed)
                cpus.append(cpu)
            if not walls:
                continue
            # The median of the runs (the machine may be shared: one run can be slowed down).
            best = statistics.median(walls)
            best_cpu = statistics.median(cpus)
            with open(dst, encoding="utf-8") as f:
                doc = json.load(f)
            got_e, got_r = len(doc["entities"]), len(doc["relations"])
            ok = got_r == want_relations and (want_entities is None or got_e == want_entities)
            if not ok:
                print(f"{fmt}: unexpected counts: {got_e} entities, {got_r} relations "
                      f"(expected {want_entities}, {want_relations})")
                failed = True
            runs = "" if len(walls) == 1 else \
                f" (median of {len(walls)} runs: {', '.join(f'{w:.2f}' for w in walls)} s)"
            print(f"{fmt}: {size / 1e6:.1f} MB in {best:.2f} s wall = {size / 1e6 / best:.0f} MB/s"
                  f"{runs}; {best_cpu:.2f} s of CPU = {size / 1e6 / best_cpu:.0f} MB/s per CPU second "
                  f"({got_e} entities, {got_r} relations, output {os.path.getsize(dst) / 1e6:.1f} MB); "
                  f"load average before {before}, after {loadavg()}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
