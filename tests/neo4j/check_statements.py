#!/usr/bin/python3
"""Structural invariants of `twinscan rules export --dialect neo4j`, needing no Cypher parser:
every rule of the catalogue appears once, either as one statement or as a comment saying
why it is not translatable; each statement's brackets balance outside strings, every
$parameter it reads is set by its :param line, every label and relationship type is a kind
of data/schema.json, and it returns rule, the bindings the rule's own tests expect, message.

Usage: check_statements.py FILE.cypher ROOT
"""
import glob
import json
import os
import re
import sys


def schema_kinds(root):
    with open(os.path.join(root, "data", "schema.json"), encoding="utf-8") as f:
        text = "\n".join(l for l in f.read().split("\n") if not l.startswith("//"))
    schema = json.loads(text)
    return set(schema["entities"]), set(schema["relations"])


def strip_strings(text):
    """The statement with string literals emptied (escapes honoured)."""
    out, quote, i = [], None, 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
                out.append(c)
        else:
            if c in "'\"":
                quote = c
            out.append(c)
        i += 1
    if quote:
        raise ValueError("an unterminated string literal")
    return "".join(out)


def balanced(text):
    pairs, stack = {")": "(", "]": "[", "}": "{"}, []
    for c in text:
        if c in "([{":
            stack.append(c)
        elif c in ")]}":
            if not stack or stack.pop() != pairs[c]:
                return False
    return not stack


def main():
    path, root = sys.argv[1], sys.argv[2]
    labels, types = schema_kinds(root)
    rules = {}
    for f in sorted(glob.glob(os.path.join(root, "rules", "*", "rule.json"))):
        with open(f, encoding="utf-8") as fh:
            r = json.load(fh)
        expected = set()
        for t in r.get("tests", []):
            for e in t.get("expect", []):
                expected |= {k for k in e if k != "cannot_judge"}
        rules[r["id"]] = expected
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("// " + "-" * 72 + "\n")
    problems = []
    seen = []
    statements = 0
    for block in blocks[1:]:
        m = re.match(r"// rule: (\S+)\n", block)
        if not m:
            problems.append("a block without '// rule: ID'")
            continue
        rid = m.group(1)
        seen.append(rid)
        code = [l for l in block.split("\n") if l and not l.startswith("//")]
        if "// NOT TRANSLATABLE: " in block:
            if code:
                problems.append(f"{rid}: not translatable, yet has a statement")
            if f"//   {rid}\n" not in blocks[0]:
                problems.append(f"{rid}: not listed as not translatable in the header")
            continue
        if not code or not code[0].startswith(":param {"):
            problems.append(f"{rid}: no :param line before the statement")
            continue
        declared = set(re.findall(r"[{,]\s*([A-Za-z_]\w*):", code[0]))
        stmt = "\n".join(code[1:])
        statements += 1
        try:
            bare = strip_strings(stmt)
        except ValueError as e:
            problems.append(f"{rid}: {e}")
            continue
        if not bare.endswith(";") or bare.count(";") != 1:
            problems.append(f"{rid}: not exactly one statement ending with ';'")
        if not balanced(bare):
            problems.append(f"{rid}: brackets do not balance")
        for p in set(re.findall(r"\$([A-Za-z_]\w*)", bare)) - declared:
            problems.append(f"{rid}: ${p} is not set by its :param line")
        for group in re.findall(r"\(\w*:([A-Za-z_|]+)", bare):
            for label in group.split("|"):
                if label not in labels:
                    problems.append(f"{rid}: label {label} is not an entity kind of the schema")
        for group in re.findall(r"\[\w*:([A-Za-z_|]+)", bare):
            for t in group.split("|"):
                if t not in types:
                    problems.append(f"{rid}: type {t} is not a relation kind of the schema")
        ret = re.search(r"RETURN DISTINCT '([^']*)' AS rule((?:, \w+\.id AS \w+)*),\s+.* AS message;$",
                        stmt, re.S)
        if not ret or ret.group(1) != rid:
            problems.append(f"{rid}: does not RETURN DISTINCT rule, the bindings and message")
            continue
        columns = set(re.findall(r"AS (\w+)", ret.group(2)))
        if not rules.get(rid, set()) <= columns:
            problems.append(f"{rid}: returns {sorted(columns)}, not the bindings its tests expect "
                            f"{sorted(rules[rid])}")
    if sorted(seen) != sorted(rules):
        problems.append(f"the rules in the file {sorted(seen)} are not the catalogue {sorted(rules)}")
    for p in problems:
        print(p)
    print(f"{len(seen)} rules, {statements} statements, {len(problems)} problems")
    return 1 if problems or statements == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
