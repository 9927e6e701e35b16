#!/usr/bin/env python3
"""The desk's API over a real socket: `desk_api_test.py TWINSCAN ROOT GROUP`, one group
of checks per CTest test (tests/CMakeLists.txt). Exit 0 when every check holds."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk import Desk  # noqa: E402

REQUEST = "data/requests/ashdod-ningbo-port-mou.json"
FAILURES = []


def check(condition, what, answer=None):
    if condition:
        print(f"ok: {what}")
    else:
        print(f"FAILED: {what}" + (f" ({answer!r})" if answer is not None else ""))
        FAILURES.append(what)


def request_text(root):
    with open(os.path.join(root, REQUEST)) as f:
        return f.read()


def sign_in_form(desk):
    """The sign-in page's cookie and the token its form carries."""
    r = desk.request("GET", "/sign-in")
    token = re.search(r'name="sign_in_token" value="([^"]+)"', r.body)
    check(r.status == 200 and token is not None and
          "twinscan_sign_in=" + token.group(1) in r.header("Set-Cookie"),
          "the sign-in page sets a cookie holding its form's token", r)
    return r.header("Set-Cookie").split(";")[0], token.group(1)


def screen(desk, root, cookie, csrf):
    return desk.request("POST", "/api/screen?name=ashdod-ningbo-port-mou.json",
                        request_text(root), {"Content-Type": "application/json"}, cookie, csrf)


ROUTES = [("GET", "/api/session"), ("DELETE", "/api/session"), ("GET", "/api/findings"),
          ("GET", "/api/findings/52368fc7faad628c"),
          ("POST", "/api/findings/52368fc7faad628c/decision"), ("POST", "/api/screen"),
          ("GET", "/api/screenings"), ("GET", "/api/screenings/1"), ("GET", "/api/audit"),
          ("GET", "/api/entities/mun:ashdod"), ("GET", "/api/no-such-route")]


def every_api_route_needs_a_session(desk, root):
    for method, path in ROUTES:
        r = desk.request(method, path, {} if method == "POST" else None)
        check(r.status == 401 and "error" in r.json(), f"{method} {path} without a session: 401",
              r)
    r = desk.request("GET", "/api/findings", cookie="twinscan_session=" + "0" * 64)
    check(r.status == 401, "an unknown session token: 401", r)
    r = desk.request("GET", "/findings")
    check(r.status == 303 and r.header("Location") == "/sign-in?next=%2Ffindings",
          "a page without a session redirects to /sign-in, to come back after", r)
    r = desk.request("GET", "/assets/desk.css")
    check(r.status == 200 and "text/css" in r.header("Content-Type"),
          "the stylesheet is served without a session", r)


def sign_in_and_wrong_password(desk, root):
    r = desk.request("POST", "/api/session", {"user": "alice", "password": "wrong-password!"})
    check(r.status == 401 and "set-cookie" not in r.headers, "a wrong password: 401, no cookie",
          r)
    r = desk.request("POST", "/api/session", {"user": "nobody", "password": "whatever-pass"})
    check(r.status == 401, "an unknown user: 401", r)
    r = desk.request("POST", "/api/session", {"user": "alice", "password": "alice-password-1"})
    cookie = r.header("Set-Cookie")
    check(r.status == 200 and len(r.json().get("csrf_token", "")) == 64,
          "sign-in answers a CSRF token", r)
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        check(attribute in cookie, f"the session cookie is {attribute}", cookie)
    for name, value in (("Content-Security-Policy", "script-src 'self'"),
                        ("Content-Security-Policy", "frame-ancestors 'none'"),
                        ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
                        ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store")):
        check(value in r.header(name), f"the answer carries {name}: {value}", r.headers)
    session = cookie.split(";")[0]
    csrf = r.json()["csrf_token"]
    r = desk.request("GET", "/api/session", cookie=session)
    check(r.status == 200 and r.json() == {"user": "alice", "role": "reviewer"},
          "the session names its user and role", r)
    r = desk.request("DELETE", "/api/session", cookie=session)
    check(r.status == 403, "signing out without the CSRF token: 403", r)
    r = desk.request("DELETE", "/api/session", cookie=session, csrf=csrf)
    check(r.status == 200, "signing out with the CSRF token", r)
    r = desk.request("GET", "/api/findings", cookie=session)
    check(r.status == 401, "the ended session is refused: 401", r)
    r = desk.request("GET", "/api/audit?q=sign-in-failed", cookie=desk.sign_in("victor")[0])
    check(r.status == 200 and len(r.json()["entries"]) == 2,
          "both failed sign-ins are in the audit trail", r)


def roles_and_csrf_are_enforced(desk, root):
    viewer, viewer_csrf = desk.sign_in("victor")
    reviewer, reviewer_csrf = desk.sign_in("alice")
    decision = {"decision": "confirmed", "justification": "checked", "expires": ""}
    path = "/api/findings/52368fc7faad628c/decision"
    r = desk.request("POST", path, decision, cookie=viewer, csrf=viewer_csrf)
    check(r.status == 403, "a viewer's decision: 403", r)
    r = screen(desk, root, viewer, viewer_csrf)
    check(r.status == 403, "a viewer's screening: 403", r)
    r = desk.request("GET", "/api/findings", cookie=viewer)
    check(r.status == 200, "a viewer reads the findings", r)
    r = screen(desk, root, reviewer, None)
    check(r.status == 403, "a screening without the CSRF token: 403", r)
    r = screen(desk, root, reviewer, viewer_csrf)
    check(r.status == 403, "a screening with another session's CSRF token: 403", r)
    r = desk.request("POST", path, decision, cookie=reviewer)
    check(r.status == 403, "a decision without the CSRF token: 403", r)
    r = desk.request("POST", "/findings/52368fc7faad628c/decision",
                     "decision=confirmed&justification=x",
                     {"Content-Type": "application/x-www-form-urlencoded"}, cookie=reviewer)
    check(r.status == 403, "the decision form without its CSRF field: 403", r)
    r = desk.request("GET", "/api/audit", cookie=reviewer)
    check(not any(e["action"] == "decision" for e in r.json()["entries"]),
          "nothing refused was recorded", r)


def bad_requests_are_refused(desk, root):
    cookie, csrf = desk.sign_in("alice")
    r = desk.request("POST", "/api/screen", '{"format": "twinscan/1",\n  "entities": [,]}',
                     {"Content-Type": "application/json"}, cookie, csrf)
    check(r.status == 400 and "line 2, column" in r.json()["error"],
          "malformed JSON: 400 naming line and column", r)
    r = desk.request("POST", "/api/findings/52368fc7faad628c/decision", "{\"decision\": ",
                     {"Content-Type": "application/json"}, cookie, csrf)
    check(r.status == 400 and "line 1, column" in r.json()["error"],
          "a malformed decision body: 400 naming line and column", r)
    r = desk.request("POST", "/api/screen", request_text(root), {"Content-Type": "text/plain"},
                     cookie, csrf)
    check(r.status == 415 and "error" in r.json(), "a request sent as text/plain: 415", r)
    big = "[" + " " * (9 << 20) + "]"
    r = desk.request("POST", "/api/screen", big, {"Content-Type": "application/json"}, cookie,
                     csrf)
    check(r.status == 413 and "error" in r.json(), "a 9 MiB body: 413", r)
    deep = "[" * 200000 + "]" * 200000
    r = desk.request("POST", "/api/screen", deep, {"Content-Type": "application/json"}, cookie,
                     csrf)
    check(r.status == 400, "200000 nested arrays: 400, the server still up", r)
    unknown = json.dumps({"format": "twinscan/1", "entities": [
        {"id": "agr:new", "kind": "Agreement", "name": "New", "type": "mou",
         "signed_on": "2026-01-01"}],
        "relations": [{"kind": "PARTY_TO", "from": "mun:nowhere", "to": "agr:new"}]})
    r = desk.request("POST", "/api/screen", unknown, {"Content-Type": "application/json"},
                     cookie, csrf)
    check(r.status == 400 and r.json().get("problems") and "mun:nowhere" in r.body
          and "/tmp" not in r.body and "twinscan-desk-" not in r.body,
          "a request naming unknown ids: 400 with the problems, naming no private file", r)
    for path, wanted in (("/api/findings/xyz", 400), ("/api/findings/52368FC7FAAD628C", 400),
                         ("/api/findings/..%2F..%2Fetc%2Fpasswd", 400),
                         ("/api/findings/%2e%2e", 400),
                         ("/api/findings/0123456789abcdef", 404),
                         ("/api/screenings/abc", 400), ("/api/screenings/999", 404),
                         ("/api/findings/0123456789abcdef/../../audit", 400),
                         ("/assets/..%2F..%2Fetc%2Fpasswd", 400), ("/assets/passwd", 404),
                         ("/assets/desk.css%00.js", 400), ("/findings/..%5c..%5cx", 400),
                         ("/api/nothing", 404)):
        r = desk.request("GET", path, cookie=cookie)
        check(r.status == wanted, f"GET {path}: {wanted}", r)
    r = desk.request("POST", "/api/findings/not-a-fp/decision", {"decision": "confirmed"},
                     cookie=cookie, csrf=csrf)
    check(r.status == 400, "a decision on a malformed fingerprint: 400", r)
    r = desk.request("POST", "/api/findings/0123456789abcdef/decision", {"decision": "confirmed"},
                     cookie=cookie, csrf=csrf)
    check(r.status == 404, "a decision on an unknown finding: 404", r)
    r = desk.request("PUT", "/api/findings", {}, cookie=cookie, csrf=csrf)
    check(r.status == 405 and r.header("Allow") == "GET", "PUT /api/findings: 405", r)
    r = desk.request("GET", "/api/findings", cookie=cookie)
    check(r.status == 200, "the desk still answers after every bad request", r)


def screening_matches_the_command_line(desk, root):
    cookie, csrf = desk.sign_in("alice")
    r = screen(desk, root, cookie, csrf)
    check(r.status == 200, "screening the Ashdod-Ningbo MoU: 200", r)
    answer = r.json()
    cli = subprocess.run([desk.twinscan, "screen", "--registry", f"{root}/data/sample",
                          "--judgements", f"{root}/data/sample/judgements.json", "--format",
                          "json", os.path.join(root, REQUEST)], capture_output=True, text=True)
    expected = json.loads(cli.stdout)
    check(answer.get("verdict") == "escalate", "the verdict is escalate", answer.get("verdict"))
    check([f["fingerprint"] for f in answer["findings"]] ==
          [f["fingerprint"] for f in expected["findings"]] and expected["findings"],
          "the same findings (fingerprints, in order) as twinscan screen")
    screening = answer.pop("screening", None)
    check(answer == expected, "the same JSON as twinscan screen --format json, plus screening")
    check(isinstance(screening, int) and screening > 0, "the answer names its screening",
          screening)
    r = desk.request("GET", "/api/screenings", cookie=cookie)
    listed = r.json()["screenings"]
    check(len(listed) == 1 and listed[0]["id"] == screening and listed[0]["verdict"] ==
          "escalate" and listed[0]["by"] == "alice" and len(listed[0]["request_sha256"]) == 64
          and listed[0]["registry_version"].startswith("sha256:") and listed[0]["rules_version"],
          "the screening is listed with its request hash and versions", listed)
    import hashlib
    check(listed[0]["request_sha256"] == hashlib.sha256(request_text(root).encode()).hexdigest(),
          "the recorded hash is the request's SHA-256")
    r = desk.request("GET", f"/api/screenings/{screening}", cookie=cookie)
    check(r.status == 200 and r.json()["result"] == expected,
          "the screening keeps the whole result", r)
    fp = expected["findings"][0]["fingerprint"]
    r = desk.request("GET", f"/api/findings/{fp}", cookie=cookie)
    check(r.status == 200 and r.json()["finding"]["screening"] == screening and
          r.json()["rule"]["rationale"], "a screened finding is found by its fingerprint", r)
    r = desk.request("GET", f"/screenings/{screening}", cookie=cookie)
    check(r.status == 200 and ">Escalate<" in r.body, "the screening page says Escalate", r)
    # The findings list holds the registry's findings, then the screening's (those the
    # registry scan has not found already), each naming its screening.
    registry = desk.request("GET", "/api/findings?found_by=registry", cookie=cookie).json()
    screened = desk.request("GET", "/api/findings?found_by=screening", cookie=cookie).json()
    every = desk.request("GET", "/api/findings", cookie=cookie).json()
    known = {f["fingerprint"] for f in registry["findings"]}
    new = [f["fingerprint"] for f in expected["findings"] if f["fingerprint"] not in known]
    check(new and [f["fingerprint"] for f in screened["findings"]] == new and
          all(f["screening"] == screening for f in screened["findings"]),
          "found_by=screening lists the screening's new findings, in order, naming it", screened)
    check(all(f["screening"] is None for f in registry["findings"]) and registry["findings"],
          "found_by=registry lists only the registry scan's findings", registry)
    check([f["fingerprint"] for f in every["findings"]] ==
          [f["fingerprint"] for f in registry["findings"]] + new and
          every["counts"]["total"] == len(registry["findings"]) + len(new),
          "the whole list is the registry's findings, then the screening's", every["counts"])
    r = desk.request("GET", "/api/findings?found_by=somebody", cookie=cookie)
    check(r.status == 400 and "found by" in r.json().get("error", ""),
          "found_by of another value: 400 naming the filter", r)
    r = desk.request("GET", "/findings?found_by=screening", cookie=cookie)
    check(r.status == 200 and f'href="/screenings/{screening}">screening {screening}</a>' in r.body
          and f"of the registry, {len(new)} of screenings" in r.body,
          "the Findings page lists the screening's findings, each naming its screening", r)


def decisions_are_recorded_and_audited(desk, root):
    cookie, csrf = desk.sign_in("alice")
    r = desk.request("GET", "/api/findings", cookie=cookie)
    findings = r.json()
    check(r.status == 200 and findings["counts"]["total"] == len(findings["findings"]) > 0,
          "the registry's findings with counts", r)
    fp = findings["findings"][0]["fingerprint"]
    check(findings["findings"][0]["status"] == "open", "an undecided finding is open")
    r = desk.request("POST", f"/api/findings/{fp}/decision",
                     {"decision": "suppressed", "justification": "known partner, reviewed",
                      "expires": ""}, cookie=cookie, csrf=csrf)
    check(r.status == 400, "a suppression without an expiry: 400", r)
    r = desk.request("POST", f"/api/findings/{fp}/decision",
                     {"decision": "suppressed", "justification": "known partner, reviewed",
                      "expires": "2099-12-31"}, cookie=cookie, csrf=csrf)
    check(r.status == 200 and r.json()["finding"]["status"] == "suppressed" and
          r.json()["decisions"][-1]["by"] == "alice", "a suppression is recorded", r)
    r = desk.request("GET", f"/api/findings?status=suppressed", cookie=cookie)
    check([f["fingerprint"] for f in r.json()["findings"]] == [fp],
          "the status filter finds the suppressed finding", r)
    severity = findings["findings"][0]["severity"]
    r = desk.request("GET", f"/api/findings?severity={severity}&status=open", cookie=cookie)
    check(all(f["severity"] == severity and f["status"] == "open" for f in r.json()["findings"])
          and fp not in [f["fingerprint"] for f in r.json()["findings"]],
          "filters combine", r)
    r = desk.request("GET", f"/api/audit?q={fp}", cookie=cookie)
    entries = r.json()["entries"]
    check(len(entries) == 1 and entries[0]["action"] == "decision" and
          entries[0]["actor"] == "alice", "the decision is in the audit trail", entries)
    r = desk.request("GET", f"/audit?q={fp}", cookie=cookie)
    check(r.status == 200 and fp in r.body, "the audit page finds the decision", r)
    r = desk.request("GET", "/api/audit?q=%3Cscript%3E", cookie=cookie)
    check(r.status == 200 and r.json()["entries"] == [], "a search that matches nothing", r)
    hostile = "<script>alert(1)</script>\" onmouseover=\"x"
    r = desk.request("POST", f"/api/findings/{fp}/decision",
                     {"decision": "dismissed", "justification": hostile}, cookie=cookie,
                     csrf=csrf)
    r = desk.request("GET", f"/findings/{fp}", cookie=cookie)
    check(r.status == 200 and "<script>alert" not in r.body and
          "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in r.body,
          "a justification is shown escaped on the finding page", r.body[-2000:])


def concurrent_clients_lose_nothing(desk, root):
    sessions = [desk.sign_in(f"reviewer{i}") for i in range(8)]
    findings = desk.request("GET", "/api/findings", cookie=sessions[0][0]).json()["findings"]
    statuses = []
    lock = threading.Lock()

    def client(i):
        cookie, csrf = sessions[i]
        for round_ in range(3):
            r = screen(desk, root, cookie, csrf)
            fp = findings[(i * 3 + round_) % len(findings)]["fingerprint"]
            d = desk.request("POST", f"/api/findings/{fp}/decision",
                             {"decision": "confirmed", "justification": f"client {i}"},
                             cookie=cookie, csrf=csrf)
            with lock:
                statuses.extend([r.status, d.status])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(len(statuses) == 48 and all(s == 200 for s in statuses),
          "eight clients screening and deciding at once: every answer 200",
          sorted(set(statuses)))
    cookie = sessions[0][0]
    screenings = desk.request("GET", "/api/screenings", cookie=cookie).json()["screenings"]
    check(len(screenings) == 24 and len({s["id"] for s in screenings}) == 24,
          "24 screenings recorded", len(screenings))
    entries = desk.request("GET", "/api/audit?limit=1000", cookie=cookie).json()["entries"]
    actions = [e["action"] for e in entries]
    check(actions.count("screening") == 24 and actions.count("decision") == 24,
          "24 screenings and 24 decisions in the audit trail",
          (actions.count("screening"), actions.count("decision")))
    seqs = sorted(e["seq"] for e in entries)
    check(seqs == list(range(seqs[0], seqs[0] + len(seqs))), "the trail has no gap")


def sigterm_shuts_down_cleanly(desk, root):
    cookie, csrf = desk.sign_in("alice")
    results = []
    t = threading.Thread(target=lambda: results.append(screen(desk, root, cookie, csrf)))
    t.start()
    t.join()
    status = desk.stop()
    check(status == 0, "SIGTERM: exit 0", status)
    check("the desk stopped" in desk.log_text(), "the desk says it stopped", desk.log_text())
    check(results and results[0].status == 200, "the screening before SIGTERM was answered")
    v = subprocess.run([desk.twinscan, "audit", "verify", "--db", desk.db], capture_output=True,
                       text=True)
    check(v.returncode == 0, "twinscan audit verify exits 0 afterwards", v.stdout + v.stderr)


def entity_page_shows_sources_and_neighbours(desk, root):
    cookie, _ = desk.sign_in("victor")
    r = desk.request("GET", "/api/entities/mun:ashdod", cookie=cookie)
    check(r.status == 200, "a viewer reads an entity", r)
    e = r.json()
    check(e["id"] == "mun:ashdod" and e["name"] == "Ashdod" and e["kind"] == "Municipality",
          "the entity's id, name and kind", e)
    sources = [s["id"] for s in e["sources"]]
    check("ulai" in sources and "cn-friendship-list" in sources,
          "its sources include ulai and cn-friendship-list (judged the same)", sources)
    check(any(s["id"] == "ulai" and s["role"] == "local-authorities" for s in e["sources"]),
          "a source carries its role", e["sources"])
    check(any(n["id"] == "city:wuhan" and n["relation"] == "TWINNED_WITH" and
              n["direction"] == "out" for n in e["neighbours"]),
          "city:wuhan is a neighbour through TWINNED_WITH", e["neighbours"])
    findings = desk.request("GET", "/api/findings?entity=mun:ashdod", cookie=cookie).json()
    expected = sorted(f["fingerprint"] for f in findings["findings"])
    check(e["findings"] and sorted(e["findings"]) == expected,
          "its findings are the registry's findings that involve it", (e["findings"], expected))
    r = desk.request("GET", "/api/entities/ulai:ashdod", cookie=cookie)
    check(r.status == 200 and r.json()["id"] == "mun:ashdod" and r.json() == e,
          "a judged id (ulai:ashdod) answers for the same entity", r)
    r = desk.request("GET", "/api/entities/no-such", cookie=cookie)
    check(r.status == 404 and "error" in r.json(), "an unknown entity: 404", r)
    r = desk.request("GET", "/api/entities/" + "x" * 201, cookie=cookie)
    check(r.status == 400, "an id over 200 bytes: 400", r)
    r = desk.request("GET", "/api/entities/mun%3Aashdod%09x", cookie=cookie)
    check(r.status == 400, "an id with a control character: 400", r)
    r = desk.request("GET", "/entities/mun%3Aashdod", cookie=cookie)
    check(r.status == 200 and '<h1 dir="auto">Ashdod</h1>' in r.body,
          "the page is headed by the name, dir=auto", r)
    check("<svg" in r.body and 'id="neighbourhood"' in r.body,
          "the page draws the neighbourhood", r)
    check('<span class="id">ulai · local-authorities</span>' in r.body and
          '<span class="id">cn-friendship-list · foreign-side</span>' in r.body,
          "the page names the sources with their ids and roles", r)
    check('<bdi dir="auto" class="name">Ashdod</bdi> <span class="id">mun:ashdod</span> '
          '<span class="verb">is twinned with</span> <bdi dir="auto" class="name">Wuhan</bdi> '
          '<span class="id">city:wuhan</span>' in r.body,
          "the page lists the relations in words", r)
    check(all(f"/findings/{fp}" in r.body for fp in e["findings"]),
          "the page links each finding", r)
    r = desk.request("GET", "/entities/mun:modiin", cookie=cookie)
    check(r.status == 200 and "Modi&#39;in-Maccabim-Re&#39;ut" in r.body and
          "Modi'in-Maccabim-Re'ut" not in r.body, "a name with quotes is escaped on the page", r)
    r = desk.request("GET", "/entities/no-such", cookie=cookie)
    check(r.status == 404 and "text/html" in r.header("Content-Type"),
          "an unknown entity's page: a 404 page", r)
    fp = e["findings"][0]
    r = desk.request("GET", f"/findings/{fp}", cookie=cookie)
    check('href="/entities/mun%3Aashdod"' in r.body, "a finding page links its entities", r)


def findings_new_since_a_date(desk, root):
    r = desk.request("GET", "/api/findings?since=2000-01-01")
    check(r.status == 401, "since without a session: 401", r)
    cookie, csrf = desk.sign_in("alice")
    every = desk.request("GET", "/api/findings", cookie=cookie).json()
    r = desk.request("GET", "/api/findings?since=2000-01-01", cookie=cookie)
    check(r.status == 200 and r.json()["counts"]["total"] == every["counts"]["total"] > 0,
          "since=2000-01-01 gives every finding", r)
    today = every["findings"][0]["first_seen"][:10]
    check(all(f["first_seen"][:10] == today for f in every["findings"]),
          "each finding of the registry scan was first seen at start", every["findings"][0])
    r = desk.request("GET", f"/api/findings?since={today}", cookie=cookie)
    check(r.status == 200 and r.json()["counts"]["total"] == every["counts"]["total"],
          "since the day of the start gives every finding (on or after)", r)
    r = desk.request("GET", "/api/findings?since=2999-01-01", cookie=cookie)
    check(r.status == 200 and r.json()["counts"]["total"] == 0 and r.json()["findings"] == [],
          "since=2999-01-01 gives none", r)
    for bad in ("bad", "2026-13-01", "2026-02-30", "20260101", "2026-1-01"):
        r = desk.request("GET", f"/api/findings?since={bad}", cookie=cookie)
        check(r.status == 400 and "error" in r.json(), f"since={bad}: 400", r)
    r = desk.request("GET", "/findings?since=2999-01-01", cookie=cookie)
    check(r.status == 200 and "No finding matches" in r.body, "the page filters by since", r)
    r = desk.request("GET", "/findings?since=bad", cookie=cookie)
    check(r.status == 400, "the page refuses a malformed since: 400", r)
    r = screen(desk, root, cookie, csrf)
    check(r.status == 200, "a screening", r)
    import sqlite3
    con = sqlite3.connect(desk.db)
    seen = dict(con.execute("SELECT fingerprint, at FROM first_seen").fetchall())
    con.close()
    check(all(f["fingerprint"] in seen for f in r.json()["findings"]),
          "a screening records when its findings were first seen", seen)
    check(all(seen[f["fingerprint"]] == f["first_seen"] for f in every["findings"]),
          "a screening does not move a finding's first-seen time", seen)
    # A database of schema version 1 (no first_seen table) gains it when opened.
    old = os.path.join(desk.dir, "v1.sqlite")
    src = sqlite3.connect(desk.db)
    dst = sqlite3.connect(old)
    src.backup(dst)
    src.close()
    dst.execute("DROP TABLE first_seen")
    dst.execute("UPDATE schema_version SET version = 1")
    dst.commit()
    dst.close()
    v = subprocess.run([desk.twinscan, "users", "list", "--db", old], capture_output=True,
                       text=True)
    con = sqlite3.connect(old)
    version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    tables = [t for (t,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'first_seen'")]
    con.close()
    check(v.returncode == 0 and version == 3 and tables == ["first_seen"],
          "a version 1 database is migrated to the current version with the first_seen table",
          (v.returncode, v.stderr, version, tables))


CASE_USERS = {"alice": "reviewer", "victor": "viewer", "bob": "reviewer", "ada": "admin"}


def notes_and_assignment_follow_the_finding(desk, root):
    alice, alice_csrf = desk.sign_in("alice")
    viewer, viewer_csrf = desk.sign_in("victor")
    listed = desk.request("GET", "/api/findings", cookie=alice).json()["findings"]
    fp = listed[0]["fingerprint"]
    other = listed[1]["fingerprint"]
    check(listed[0]["assignee"] is None and listed[0]["status"] == "open",
          "an unassigned, undecided finding: assignee null, status open", listed[0])
    notes, assignment = f"/api/findings/{fp}/notes", f"/api/findings/{fp}/assignment"

    # Who may write them.
    for path, body in ((notes, {"text": "x"}), (assignment, {"user": "bob"})):
        r = desk.request("POST", path, body)
        check(r.status == 401, f"POST {path} without a session: 401", r)
        r = desk.request("POST", path, body, cookie=viewer, csrf=viewer_csrf)
        check(r.status == 403, f"a viewer's POST {path}: 403", r)
        r = desk.request("POST", path, body, cookie=alice)
        check(r.status == 403, f"POST {path} without the CSRF token: 403", r)
        r = desk.request("POST", path, body, cookie=alice, csrf=viewer_csrf)
        check(r.status == 403, f"POST {path} with another session's CSRF token: 403", r)
    for form, body in (("notes", "text=hello"), ("assignment", "user=bob")):
        r = desk.request("POST", f"/findings/{fp}/{form}", body,
                         {"Content-Type": "application/x-www-form-urlencoded"}, cookie=alice)
        check(r.status == 403, f"the {form} form without its CSRF field: 403", r)
        r = desk.request("POST", f"/findings/{fp}/{form}", body + "&csrf_token=" + viewer_csrf,
                         {"Content-Type": "application/x-www-form-urlencoded"}, cookie=viewer)
        check(r.status == 403, f"a viewer's {form} form: 403", r)

    # What is refused.
    for body, what in (({"text": "x" * 4001}, "a note over 4000 bytes"),
                       ({"text": "   \n "}, "a blank note"), ({}, "no text"),
                       ({"text": "bell\u0007"}, "a note with a control character"),
                       ({"text": 42}, "a text that is not a string")):
        r = desk.request("POST", notes, body, cookie=alice, csrf=alice_csrf)
        check(r.status == 400 and "error" in r.json(), f"{what}: 400", r)
    r = desk.request("POST", notes, "text=x", {"Content-Type": "text/plain"}, cookie=alice,
                     csrf=alice_csrf)
    check(r.status == 415, "a note sent as text/plain: 415", r)
    for user, what in (("nobody", "an unknown user"), ("victor", "a viewer")):
        r = desk.request("POST", assignment, {"user": user}, cookie=alice, csrf=alice_csrf)
        check(r.status == 400 and user in r.json().get("error", ""),
              f"assigning to {what}: 400 naming them", r)
    r = desk.request("POST", assignment, {}, cookie=alice, csrf=alice_csrf)
    check(r.status == 400, "an assignment without \"user\": 400", r)
    r = desk.request("POST", "/api/findings/0123456789abcdef/notes", {"text": "x"},
                     cookie=alice, csrf=alice_csrf)
    check(r.status == 404, "a note on an unknown finding: 404", r)
    r = desk.request("POST", "/api/findings/zz/assignment", {"user": "bob"}, cookie=alice,
                     csrf=alice_csrf)
    check(r.status == 400, "an assignment on a malformed fingerprint: 400", r)
    r = desk.request("GET", "/api/audit?q=" + fp, cookie=alice)
    check(r.json()["entries"] == [], "nothing refused was recorded", r)

    # A note and an assignment.
    r = desk.request("POST", notes, {"text": "x" * 4000}, cookie=alice, csrf=alice_csrf)
    check(r.status == 200, "a note of exactly 4000 bytes is accepted", r)
    hostile = "<script>alert(1)</script>\" onmouseover=\"x"
    r = desk.request("POST", notes, {"text": hostile}, cookie=alice, csrf=alice_csrf)
    check(r.status == 200 and r.json()["notes"][-1]["text"] == hostile and
          r.json()["notes"][-1]["by"] == "alice" and r.json()["notes"][-1]["at"],
          "a note is recorded with its author and time", r)
    words = "נבדק מול משרד החוץ; 与宁波港的合同\nsecond line"
    ada, ada_csrf = desk.sign_in("ada")
    r = desk.request("POST", notes, {"text": words}, cookie=ada, csrf=ada_csrf)
    check(r.status == 200 and r.json()["notes"][-1]["text"] == words and
          r.json()["notes"][-1]["by"] == "ada", "an admin writes a Hebrew and Chinese note", r)
    r = desk.request("POST", assignment, {"user": "bob"}, cookie=alice, csrf=alice_csrf)
    check(r.status == 200 and r.json()["finding"]["assignee"] == "bob" and
          r.json()["finding"]["status"] == "in-progress",
          "assigned to bob: the assignee shows and the open finding is in progress", r)
    r = desk.request("GET", f"/api/findings?assignee=bob", cookie=alice)
    check([f["fingerprint"] for f in r.json()["findings"]] == [fp] and
          r.json()["findings"][0]["assignee"] == "bob", "the assignee filter finds it", r)
    bob, bob_csrf = desk.sign_in("bob")
    r = desk.request("GET", "/api/findings?assignee=me", cookie=bob)
    check([f["fingerprint"] for f in r.json()["findings"]] == [fp], "assignee=me for bob", r)
    r = desk.request("GET", "/api/findings?assignee=me", cookie=alice)
    check(r.status == 200 and r.json()["findings"] == [], "assignee=me for alice: none", r)
    r = desk.request("GET", "/api/findings?status=in-progress", cookie=alice)
    check([f["fingerprint"] for f in r.json()["findings"]] == [fp] and
          r.json()["counts"]["by_status"].get("in-progress") == 1,
          "the status filter and counts know in-progress", r)

    # The pages.
    r = desk.request("GET", f"/findings/{fp}", cookie=viewer)
    check(r.status == 200 and "<script>alert" not in r.body and
          "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in r.body,
          "a note is shown escaped on the finding page", r.body[-3000:])
    check(words.split("\n")[0] in r.body and 'class="note-text" dir="auto"' in r.body,
          "the Hebrew and Chinese note is on the page, dir=auto", r.body[-3000:])
    check('id="assignee">Assigned to <bdi dir="auto" class="name">bob</bdi>' in r.body and
          'id="status">In progress<' in r.body, "the page names the assignee and In progress",
          r.body[-3000:])
    check('id="note-form"' not in r.body and 'id="assignment-form"' not in r.body,
          "a viewer sees neither form", r.body[-3000:])
    r = desk.request("GET", f"/findings/{fp}", cookie=alice)
    check('id="note-form"' in r.body and f'action="/findings/{fp}/notes"' in r.body and
          'name="csrf_token"' in r.body and '<option value="bob" selected>' in r.body and
          '<option value="victor"' not in r.body,
          "a reviewer sees the note and assignment forms (viewers not offered)", r.body[-3000:])
    r = desk.request("POST", f"/findings/{other}/notes",
                     "text=From+the+form%0D%0Atwo+lines&csrf_token=" + alice_csrf,
                     {"Content-Type": "application/x-www-form-urlencoded"}, cookie=alice)
    check(r.status == 303 and r.header("Location") == f"/findings/{other}",
          "the note form answers with the finding's page", r)
    r = desk.request("POST", f"/findings/{other}/assignment", "user=alice&csrf_token=" +
                     alice_csrf, {"Content-Type": "application/x-www-form-urlencoded"},
                     cookie=alice)
    check(r.status == 303, "the assignment form answers with the finding's page", r)
    r = desk.request("GET", f"/api/findings/{other}", cookie=alice).json()
    check(r["notes"][0]["text"] == "From the form\ntwo lines" and
          r["finding"]["assignee"] == "alice", "the forms recorded the note and assignee", r)
    r = desk.request("GET", "/findings?assignee=me", cookie=alice)
    check(r.status == 200 and f"/findings/{other}" in r.body and f"/findings/{fp}\"" not in r.body
          and '<th class="assignee">Assigned to</th>' in r.body and 'id="filter-assignee"' in r.body,
          "the Findings page filters and shows who a finding is assigned to", r)

    # A decision wins over in progress; unassigning.
    r = desk.request("POST", f"/api/findings/{other}/decision", {"decision": "confirmed"},
                     cookie=alice, csrf=alice_csrf)
    check(r.json()["finding"]["status"] == "confirmed" and
          r.json()["finding"]["assignee"] == "alice",
          "a confirmed finding stays confirmed while assigned", r)
    r = desk.request("POST", f"/api/findings/{other}/assignment", {"user": None}, cookie=alice,
                     csrf=alice_csrf)
    check(r.status == 200 and r.json()["finding"]["assignee"] is None and
          [a["assignee"] for a in r.json()["assignments"]] == ["alice", None],
          "{\"user\": null} unassigns; the assignments are kept", r)

    # The audit trail.
    entries = desk.request("GET", "/api/audit?limit=1000", cookie=alice).json()["entries"]
    mine = [e for e in entries if e["subject"] == fp]
    check([e["action"] for e in mine].count("note") == 3 and
          [e["action"] for e in mine].count("assignment") == 1,
          "each note and assignment is one audit entry about the finding", mine)
    check(any(e["action"] == "note" and e["actor"] == "ada" and e["detail"]["text"] == words
              for e in mine), "a note's entry holds who and what", mine)
    check(any(e["action"] == "assignment" and e["actor"] == "alice" and
              e["detail"] == {"assignee": "bob"} for e in mine),
          "an assignment's entry holds who and to whom", mine)
    check(any(e["action"] == "assignment" and e["subject"] == other and
              e["detail"] == {"assignee": "", "previous": "alice"} for e in entries),
          "an unassignment's entry names the previous assignee", entries[:5])
    v = subprocess.run([desk.twinscan, "audit", "verify", "--db", desk.db], capture_output=True,
                       text=True)
    check(v.returncode == 0, "twinscan audit verify exits 0", v.stdout + v.stderr)

    # A re-scan: scan --db reads the same database; the desk started again finds the
    # finding by its fingerprint with its notes and assignee.
    check(desk.stop() == 0, "the desk stops")
    scan = subprocess.run([desk.twinscan, "scan", "--registry", f"{root}/data/sample",
                           "--judgements", f"{root}/data/sample/judgements.json", "--db",
                           desk.db, "--format", "json"], capture_output=True, text=True)
    check(scan.returncode == 1 and fp in [f["fingerprint"] for f in
                                          json.loads(scan.stdout)["findings"]],
          "twinscan scan --db finds the finding again, by the same fingerprint",
          scan.stderr[-500:])
    again = Desk(desk.twinscan, root, db=desk.db)
    try:
        cookie, _ = again.sign_in("bob")
        r = again.request("GET", f"/api/findings/{fp}", cookie=cookie).json()
        check([n["text"] for n in r["notes"]] == ["x" * 4000, hostile, words] and
              r["finding"]["assignee"] == "bob" and r["finding"]["status"] == "in-progress",
              "after the re-scan the finding keeps its notes, assignee and status", r)
        check(again.stop() == 0, "the desk started again exits 0")
    finally:
        again.close()


def schema_2_database_gains_notes_and_assignments(desk, root):
    import sqlite3
    check(desk.stop() == 0, "the desk stops")
    con = sqlite3.connect(desk.db)
    con.execute("DROP TABLE notes")
    con.execute("DROP TABLE assignments")
    con.execute("DELETE FROM schema_version")
    con.execute("INSERT INTO schema_version (version) VALUES (2)")
    con.commit()
    con.close()
    again = Desk(desk.twinscan, root, db=desk.db)
    try:
        cookie, csrf = again.sign_in("alice")
        fp = again.request("GET", "/api/findings", cookie=cookie).json()["findings"][0][
            "fingerprint"]
        r = again.request("POST", f"/api/findings/{fp}/notes", {"text": "after the upgrade"},
                          cookie=cookie, csrf=csrf)
        check(r.status == 200 and r.json()["notes"][0]["text"] == "after the upgrade",
              "a version 2 database takes notes once served", r)
        again.stop()
    finally:
        again.close()
    con = sqlite3.connect(desk.db)
    version = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    tables = sorted(t for (t,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
        "('notes', 'assignments')"))
    con.close()
    check(version == 3 and tables == ["assignments", "notes"],
          "a version 2 database is migrated to version 3", (version, tables))
    v = subprocess.run([desk.twinscan, "audit", "verify", "--db", desk.db], capture_output=True,
                       text=True)
    check(v.returncode == 0, "the migrated trail verifies", v.stdout + v.stderr)


def sign_in_rate_limit_answers_429_with_retry_after(desk, root):
    for i in range(5):
        r = desk.request("POST", "/api/session", {"user": "alice", "password": f"wrong-{i}-pass"})
        check(r.status == 401 and "retry-after" not in r.headers,
              f"wrong password {i + 1} of 5: 401", r)
    r = desk.request("POST", "/api/session", {"user": "alice", "password": "alice-password-1"})
    retry = r.header("Retry-After")
    check(r.status == 429 and retry.isdigit() and 840 <= int(retry) <= 900 and
          "set-cookie" not in r.headers,
          "the 6th attempt, even with the right password: 429 with Retry-After in seconds", r)
    check("try again in 15 minutes" in r.json().get("error", ""),
          "the API says when to try again", r)
    form_cookie, token = sign_in_form(desk)
    r = desk.request("POST", "/sign-in",
                     "user=alice&password=alice-password-1&sign_in_token=" + token,
                     {"Content-Type": "application/x-www-form-urlencoded"}, form_cookie)
    check(r.status == 429 and r.header("Retry-After").isdigit() and
          "try again in 15 minutes" in r.body and "text/html" in r.header("Content-Type"),
          "the sign-in page: 429 saying in words when to try again", r)
    r = desk.request("POST", "/api/session", {"user": "victor", "password": "victor-password-1"})
    check(r.status == 200, "another user still signs in", r)
    cookie = r.header("Set-Cookie").split(";")[0]
    entries = desk.request("GET", "/api/audit?q=rate+limited", cookie=cookie).json()["entries"]
    check(len(entries) == 2 and all(e["action"] == "sign-in-failed" and e["subject"] == "alice"
                                    for e in entries),
          "each refused attempt is in the audit trail as rate limited", entries)


ODD_REGISTRY = {
    "format": "twinscan/1",
    "entities": [
        {"id": "mun:קריית-גת/דרום", "kind": "Municipality", "name": "קריית גת",
         "country": "IL"},
        {"id": "city:上海 ?#%/浦东", "kind": "ForeignCity", "name": "上海浦东", "country": "CN"},
        {"id": "agr:הסכם/上海 2015", "kind": "Agreement", "name": "Twinning agreement",
         "type": "twinning"},
        {"id": "../secret", "kind": "Organization", "name": "Dot-dot Organisation"},
    ],
    "relations": [
        {"kind": "TWINNED_WITH", "from": "mun:קריית-גת/דרום", "to": "city:上海 ?#%/浦东"},
        {"kind": "PARTY_TO", "from": "mun:קריית-גת/דרום", "to": "agr:הסכם/上海 2015"},
        {"kind": "PARTY_TO", "from": "city:上海 ?#%/浦东", "to": "agr:הסכם/上海 2015"},
    ],
}


def odd_registry(directory):
    path = os.path.join(directory, "odd-registry.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ODD_REGISTRY, f, ensure_ascii=False)
    return ["--registry", path]


def entity_ids_with_reserved_and_non_ascii_characters_open(desk, root):
    from urllib.parse import quote
    import html
    cookie, _ = desk.sign_in("victor")
    for entity in ODD_REGISTRY["entities"]:
        eid = entity["id"]
        r = desk.request("GET", "/api/entities/" + quote(eid, safe=""), cookie=cookie)
        check(r.status == 200 and r.json()["id"] == eid and r.json()["name"] == entity["name"],
              f"GET /api/entities/ for {eid!r}", r)
        r = desk.request("GET", "/entities/" + quote(eid, safe=""), cookie=cookie)
        check(r.status == 200 and f'<h1 dir="auto">{html.escape(entity["name"])}</h1>' in r.body,
              f"the entity page of {eid!r} is headed by its name", r)
    mun = "mun:קריית-גת/דרום"
    r = desk.request("GET", "/entities/" + quote(mun, safe=""), cookie=cookie)
    for other in ("city:上海 ?#%/浦东", "agr:הסכם/上海 2015"):
        link = 'href="/entities/' + quote(other, safe="") + '"'
        check(link in r.body, f"the entity page links {other!r} percent-encoded ({link})",
              r.body[-2500:])
    check("%2F" in r.body and "%3F" in r.body and "%23" in r.body and "%25" in r.body and
          "%20" in r.body, "'/', '?', '#', '%' and spaces are encoded in links")
    fp = [f["fingerprint"] for f in
          desk.request("GET", "/api/findings?entity=" + quote(mun, safe=""),
                       cookie=cookie).json()["findings"]]
    check(len(fp) == 1, "a finding involves the municipality", fp)
    r = desk.request("GET", f"/findings/{fp[0]}", cookie=cookie)
    check('href="/entities/' + quote(mun, safe="") + '"' in r.body and
          'href="/entities/' + quote("agr:הסכם/上海 2015", safe="") + '"' in r.body,
          "the finding page links its entities percent-encoded", r.body[-2500:])
    r = desk.request("GET", "/api/entities/" + quote(mun, safe=""), cookie=cookie)
    check(r.json()["findings"] == fp, "the entity names its finding", r)
    r = desk.request("GET", "/api/entities/mun:" + quote("קריית-גת", safe="") + "/" +
                     quote("דרום", safe=""), cookie=cookie)
    check(r.status == 404, "an unencoded '/' splits the address: no such route (404)", r)
    r = desk.request("GET", "/api/entities/..%2Fsecret", cookie=cookie)
    check(r.status == 200 and r.json()["id"] == "../secret",
          "'..%2F' is part of an entity id, found as one", r)
    for path in ("/api/entities/..%2F..%2F..%2Fetc%2Fpasswd", "/entities/..%2F..%2Fetc%2Fpasswd",
                 "/api/entities/..%2F..%2FCMakeLists.txt"):
        r = desk.request("GET", path, cookie=cookie)
        check(r.status == 404 and "root:" not in r.body and "cmake" not in r.body.lower(),
              f"GET {path}: an unknown entity (404), no file", r)
    for path in ("/api/entities/%2e%2e", "/api/entities/a%zz", "/api/entities/a%2",
                 "/api/entities/..", "/entities/%00"):
        r = desk.request("GET", path, cookie=cookie)
        check(r.status == 400, f"GET {path}: 400", r)


# --- The desk's pages in plain words (names before ids, relations as sentences).

def plain_text(html_text):
    """The text a reader sees: tags removed, entities decoded, spaces collapsed."""
    import html
    import re
    text = re.sub(r"<svg.*?</svg>", " ", html_text, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).split())


def section(body, start, end):
    """The part of `body` from `start` up to the next `end` after it."""
    i = body.index(start)
    return body[i:body.index(end, i)]


def screening_page_names_the_request_and_its_entities(desk, root):
    cookie, csrf = desk.sign_in("alice")
    answer = screen(desk, root, cookie, csrf).json()
    screening = answer["screening"]
    fp = answer["findings"][0]["fingerprint"]
    desk.request("POST", f"/api/findings/{fp}/assignment", {"user": "alice"}, cookie=cookie,
                 csrf=csrf)
    r = desk.request("GET", f"/screenings/{screening}", cookie=cookie)
    check(r.status == 200, "the screening page: 200", r)
    agreement = "Ashdod-Ningbo Zhoushan Port Group memorandum on port logistics"
    check(f'<h1 dir="auto">{agreement}</h1>' in r.body,
          "the page is headed by the request's agreement name", r.body[:1500])
    check('<p class="subtitle" id="request-file">Request file <bdi dir="auto">'
          'ashdod-ningbo-port-mou.json</bdi></p>' in r.body,
          "the file name follows the heading, smaller", r.body[:1500])
    check(f'<dt>Judged as of</dt><dd id="as-of">{answer["as_of"]} (the date deadlines were '
          'judged against)</dd>' in r.body,
          "the page says the date deadlines were judged against", r.body[:2500])
    row = section(r.body, f'<a href="/findings/{fp}">', "</tr>")
    involves = plain_text(section(row, '<div class="involves">', "</div>"))
    check(f"{agreement} agr:ashdod-ningbo-port-mou-2026" in involves and
          "Ningbo Zhoushan Port Group Co., Ltd. firm:ningbo-zhoushan-port-group" in involves and
          "Ashdod mun:ashdod" in involves,
          "Involves: names the request's agreement and firm, each id after its name", involves)
    check('<bdi dir="auto" class="name">Ningbo Zhoushan Port Group Co., Ltd.</bdi> '
          '<span class="id">firm:ningbo-zhoushan-port-group</span>' in row,
          "the id follows the name in the grey id style", row)
    check('<th class="assignee">Assigned to</th>' in r.body and
          '<td class="assignee"><bdi dir="auto">alice</bdi></td>' in row,
          "the findings table has an Assigned to column naming the assignee", row)


def a_screening_reads_the_same_after_a_restart(desk, root):
    cookie, csrf = desk.sign_in("alice")
    answer = screen(desk, root, cookie, csrf).json()
    screening = answer["screening"]
    fp = answer["findings"][0]["fingerprint"]
    pages = {}
    for path in (f"/screenings/{screening}", f"/findings/{fp}"):
        r = desk.request("GET", path, cookie=cookie)
        check(r.status == 200, f"GET {path} before the restart: 200", r)
        pages[path] = r.body
    check(desk.stop() == 0, "the desk stops on SIGTERM")
    again = Desk(desk.twinscan, root, db=desk.db)
    try:
        cookie, _ = again.sign_in("alice")
        agreement = "Ashdod-Ningbo Zhoushan Port Group memorandum on port logistics"
        r = again.request("GET", f"/screenings/{screening}", cookie=cookie)
        check(r.status == 200 and f'<h1 dir="auto">{agreement}</h1>' in r.body,
              "after a restart the screening is still headed by its agreement", r.body[:1500])
        row = section(r.body, f'<a href="/findings/{fp}">', "</tr>")
        involves = plain_text(section(row, '<div class="involves">', "</div>"))
        check("Ningbo Zhoushan Port Group Co., Ltd. firm:ningbo-zhoushan-port-group" in involves
              and f"{agreement} agr:ashdod-ningbo-port-mou-2026" in involves,
              "after a restart the request's entities are named", involves)
        r = again.request("GET", f"/findings/{fp}", cookie=cookie)
        before = pages[f"/findings/{fp}"]
        evidence = lambda body: section(body, "<h2>Evidence</h2>", "<h2>Decisions</h2>")
        check(r.status == 200 and "<svg" in evidence(r.body),
              "after a restart the finding's evidence is drawn", evidence(r.body)[:800])
        check("is a party to" in evidence(r.body)
              and plain_text(evidence(r.body)) == plain_text(evidence(before)),
              "after a restart the evidence reads as before the restart",
              (plain_text(evidence(before))[:600], plain_text(evidence(r.body))[:600]))
        r = again.request("GET", f"/api/screenings/{screening}", cookie=cookie)
        check(r.status == 200 and "desk_evidence" not in r.json()["result"],
              "the API's result stays the command line's JSON", r)
        check(again.stop() == 0, "the restarted desk exits 0 on SIGTERM")
    finally:
        again.close()


SCHEMA_EXTENSION = {
    "format": "twinscan-schema/1",
    "relations": {"SUPPLIES_WATER_TO": {"description": "Supplies water to a municipality.",
                                        "from": ["Firm"], "to": ["Municipality"]}},
}

WORDS_REGISTRY = {
    "format": "twinscan/1",
    "entities": [
        {"id": "mun:a", "kind": "Municipality", "name": "Town <A>", "country": "IL"},
        {"id": "firm:w", "kind": "Firm", "name": "מים בע\"מ", "country": "IL"},
        {"id": "firm:h", "kind": "Firm", "name": "Holding & Co", "country": "CN"},
    ],
    "relations": [
        {"kind": "SUPPLIES_WATER_TO", "from": "firm:w", "to": "mun:a"},
        {"kind": "OWNED_BY", "from": "firm:w", "to": "firm:h", "share": 0.35},
        {"kind": "LOCATED_IN", "from": "firm:w", "to": "mun:a"},
    ],
}


def words_registry(directory):
    path = os.path.join(directory, "words-registry.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(WORDS_REGISTRY, f, ensure_ascii=False)
    schema = os.path.join(directory, "extension.schema.json")
    with open(schema, "w", encoding="utf-8") as f:
        json.dump(SCHEMA_EXTENSION, f)
    return ["--registry", path, "--schema", schema]


def relations_are_said_in_words(desk, root):
    cookie, _ = desk.sign_in("victor")
    r = desk.request("GET", "/entities/firm%3Aw", cookie=cookie)
    check(r.status == 200, "the entity page of a schema-extended registry: 200", r)
    listed = [plain_text(li) for li in
              section(r.body, 'id="neighbourhood-relations"', "</ul>").split("<li>")[1:]]
    check('מים בע"מ firm:w is located in Town <A> mun:a' in listed,
          "LOCATED_IN reads 'is located in', ids after the names", listed)
    check('מים בע"מ firm:w is 35% owned by Holding & Co firm:h' in listed,
          "OWNED_BY reads 'is owned by' with the share as a percentage", listed)
    check('מים בע"מ firm:w supplies water to Town <A> mun:a' in listed,
          "an unknown kind falls back to its name in lower-case words", listed)
    check("-[" not in section(r.body, 'id="neighbourhood-relations"', "</ul>"),
          "no arrow notation in the relations", r.body[-2000:])
    check("Town &lt;A&gt;" in r.body and "Town <A>" not in r.body and
          "Holding &amp; Co" in r.body, "names in relations are escaped", r.body[-2000:])
    check('<bdi dir="auto" class="name">מים בע&quot;מ</bdi>' in r.body,
          "a right-to-left name stays isolated", r.body[-2000:])
    # The finding page's evidence, on the sample registry, in a second desk.
    sample = Desk(desk.twinscan, root)
    try:
        cookie, _ = sample.sign_in("victor")
        findings = sample.request("GET", "/api/findings?entity=mun:ashdod",
                                  cookie=cookie).json()["findings"]
        said = []
        for f in findings:
            page = sample.request("GET", f"/findings/{f['fingerprint']}", cookie=cookie).body
            part = section(page, 'id="evidence-relations"', "</ul>")
            check("-[" not in part, f"finding {f['fingerprint']}: no arrow notation", part)
            said += [plain_text(li) for li in part.split("<li>")[1:]]
        check(any(s.startswith("Ashdod mun:ashdod is twinned with ") for s in said) or
              any(" is located in Ashdod mun:ashdod" in s for s in said),
              "the finding page says its evidence in words", said[:10])
    finally:
        sample.close()


def audit_page_says_each_entry_in_words(desk, root):
    cookie, csrf = desk.sign_in("alice")
    desk.request("POST", "/api/session", {"user": "alice", "password": "wrong-password!"})
    answer = screen(desk, root, cookie, csrf).json()
    fp = answer["findings"][0]["fingerprint"]
    title = answer["findings"][0]["title"]
    desk.request("POST", f"/api/findings/{fp}/decision",
                 {"decision": "suppressed", "justification": "known <partner>",
                  "expires": "2099-12-31"}, cookie=cookie, csrf=csrf)
    desk.request("POST", f"/api/findings/{fp}/notes", {"text": "called the municipality"},
                 cookie=cookie, csrf=csrf)
    desk.request("POST", f"/api/findings/{fp}/assignment", {"user": "alice"}, cookie=cookie,
                 csrf=csrf)
    r = desk.request("GET", "/audit", cookie=cookie)
    check(r.status == 200, "the audit page: 200", r)
    rows = [row for row in section(r.body, "<tbody>", "</tbody>").split("<tr>")[1:]]
    text = [plain_text(row) for row in rows]
    import re
    check(all(re.search(r'<td class="when">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</td>', row)
              for row in rows), "When reads 2026-11-30 15:17:59 UTC", rows[:2])
    check(any("Signed in from 127.0.0.1." in t for t in text), "a sign-in in words", text)
    check(any("failed sign-in" in t and "Sign-in refused: wrong password from 127.0.0.1." in t
              for t in text), "a failed sign-in in words", text)
    check(any("Screened the request ashdod-ningbo-port-mou.json: Escalate (screening "
              f"{answer['screening']})." in t for t in text),
          "a screening in words, with its verdict and request name", text)
    check(any("Decided: suppressed until 2099-12-31. Justification: “known <partner>”." in t
              for t in text), "a decision in words: its kind, justification and expiry", text)
    check(any("Wrote a note: “called the municipality”." in t for t in text),
          "a note in words", text)
    check(any("Assigned the finding to alice." in t for t in text), "an assignment in words",
          text)
    check("known &lt;partner&gt;" in r.body and "<partner>" not in r.body,
          "the words are escaped", r.body[-3000:])
    check('{"' not in section(r.body, "<tbody>", "</tbody>"), "no raw JSON in the table", text)
    about = f'<td class="about"><a href="/findings/{fp}">{title}</a> <span class="id">{fp}</span>'
    check(about in r.body, "About: the finding's title linked to its page, then the fingerprint",
          r.body[-3000:])
    css = desk.request("GET", "/assets/desk.css").body
    check("word-break:break-all" not in css and "td.detail{overflow-wrap:anywhere}" in css,
          "details wrap at word ends (overflow-wrap:anywhere), not inside words", css)
    check("td.when,th.when{white-space:nowrap}" in css, "the date does not wrap", css)
    check("form.search input[name=q]{width:22em" in css,
          "the search field is wide enough for its placeholder", css)
    exported = subprocess.run([desk.twinscan, "audit", "export", "--db", desk.db, "--format", "jsonl"],
                              capture_output=True, text=True)
    details = [json.loads(json.loads(line)["detail_json"]) for line in
               exported.stdout.splitlines()]
    check(exported.returncode == 0 and
          {"decision": "suppressed", "justification": "known <partner>",
           "expires": "2099-12-31"} in details,
          "twinscan audit export keeps the details as JSON", exported)


def entity_page_names_sources_and_heads_its_lists(desk, root):
    cookie, csrf = desk.sign_in("alice")
    e = desk.request("GET", "/api/entities/mun:ashdod", cookie=cookie).json()
    fp = e["findings"][0]
    desk.request("POST", f"/api/findings/{fp}/assignment", {"user": "alice"}, cookie=cookie,
                 csrf=csrf)
    r = desk.request("GET", "/entities/mun%3Aashdod", cookie=cookie)
    check("<h2>Stated by</h2>" in r.body and "<h2>Sources</h2>" not in r.body,
          "the sources are headed Stated by", r)
    stated = plain_text(section(r.body, '<p id="sources">', "</p>"))
    check(stated.startswith("Government directory: central authorities and local authorities "
                            "gov-directory · government-directory, Union of Local Authorities"
                            " in Israel: list of twin cities ulai · local-authorities"),
          "each source's name first, then its id and role", stated)
    check('<bdi dir="auto" class="name">Union of Local Authorities in Israel: list of twin '
          'cities</bdi> <span class="id">ulai · local-authorities</span>' in r.body,
          "the id and role are in the grey id style", r)
    check(r.body.index("<h3>Relations</h3>") < r.body.index('id="neighbourhood-relations"') <
          r.body.index("<h3>Entities one relation away</h3>") < r.body.index('id="neighbours"'),
          "the two lists after the drawing are headed Relations and Entities one relation away",
          r)
    table = section(r.body, 'id="entity-findings"', "</table>")
    row = section(table, f'/findings/{fp}"', "</tr>")
    check('<th class="assignee">Assigned to</th>' in table and
          '<td class="assignee"><bdi dir="auto">alice</bdi></td>' in row,
          "the findings table has an Assigned to column", row)


def finding_page_reads_plainly(desk, root):
    cookie, csrf = desk.sign_in("alice")
    fp = desk.request("GET", "/api/findings", cookie=cookie).json()["findings"][0]["fingerprint"]
    r = desk.request("GET", f"/findings/{fp}", cookie=cookie)
    check('<p class="what-found" id="message">' in r.body and '<p class="message">' not in r.body,
          "what was found is not in the small pale message style", r)
    css = desk.request("GET", "/assets/desk.css").body
    check(".what-found{font-size:1em;color:inherit" in css,
          "what was found is in normal size and colour", css)
    check("th.assignee,td.assignee{white-space:nowrap}" in css,
          "the Assigned to header does not wrap", css)
    sev = css[css.index(".sev{"):]
    sev = sev[:sev.index("}")]
    check("uppercase" not in sev, "severities are not upper-cased by the stylesheet", sev)
    check('<span class="sev sev-high">High</span>' in r.body or
          '<span class="sev sev-medium">Medium</span>' in r.body or
          '<span class="sev sev-critical">Critical</span>' in r.body,
          "the severity is written capitalised", r.body[:2000])
    findings = desk.request("GET", "/findings", cookie=cookie)
    check('<th class="assignee">Assigned to</th>' in findings.body,
          "the Findings page's Assigned to header carries the no-wrap class", findings)
    desk.request("POST", f"/api/findings/{fp}/decision",
                 {"decision": "suppressed", "justification": "reviewed", "expires": "2099-12-31"},
                 cookie=cookie, csrf=csrf)
    r = desk.request("GET", f"/findings/{fp}", cookie=cookie)
    form = section(r.body, 'id="decision-form"', "</form>")
    check(" checked" not in form, "after a suppression no decision is pre-ticked", form)
    check('value="confirmed" required' in form, "the reviewer must choose a decision", form)
    import re
    decisions = section(r.body, 'id="decisions"', "</table>")
    check(re.search(r'<td class="when">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</td>', decisions),
          "the decision's time reads 2026-11-30 15:17:59 UTC, like the audit trail's",
          decisions)


# --- end of the pages in plain words


# --- the follow-up page (docs/follow-up.md)


def follow_up_page_shows_charts_for_every_role(desk, root):
    r = desk.request("GET", "/api/indicators")
    check(r.status == 401 and "error" in r.json(), "GET /api/indicators without a session: 401", r)
    r = desk.request("GET", "/follow-up")
    check(r.status == 303 and r.header("Location") == "/sign-in?next=%2Ffollow-up",
          "the follow-up page without a session redirects to /sign-in", r)
    for user in ("victor", "alice", "ada"):  # a viewer, a reviewer, an admin
        cookie, _ = desk.sign_in(user)
        r = desk.request("GET", "/follow-up", cookie=cookie)
        check(r.status == 200, f"{user}: the follow-up page answers 200", r)
        check(r.body.count('<svg class="chart bars"') >= 5 and 'class="bar"' in r.body and
              '<svg class="chart line"' in r.body,
              f"{user}: the page holds its bar charts and the line of agreements per year",
              r.body[:500])
        check(' style="' not in r.body and "<style" not in r.body and "<script>" not in r.body,
              f"{user}: no inline style or script (the desk's Content-Security-Policy)")
        check('<a href="/follow-up">Follow-up</a>' in r.body, f"{user}: the navigation links it")
    cookie, _ = desk.sign_in("victor")
    r = desk.request("GET", "/follow-up?by=planet", cookie=cookie)
    check(r.status == 400, "an unknown grouping: 400", r)
    r = desk.request("GET", "/follow-up?by=municipality", cookie=cookie)
    check(r.status == 200 and "Twin-city ties by municipality" in r.body,
          "grouped by municipality, the ties are charted per municipality", r.body[:300])
    r = desk.request("GET", "/api/indicators?by=year", cookie=cookie)
    check(r.status == 200, "GET /api/indicators?by=year answers 200", r)
    api = r.json()
    cli = json.loads(subprocess.run(
        [desk.twinscan, "indicators", "--registry", f"{root}/data/sample", "--judgements",
         f"{root}/data/sample/judgements.json", "--as-of", api["as_of"], "--by", "year",
         "--format", "json"], capture_output=True, text=True, check=True).stdout)
    check(api == cli, "the API's indicators equal `twinscan indicators --format json`",
          (api, cli))


# --- end of the follow-up page


def hostile_sign_ins_and_inputs_are_refused(desk, root):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # Login CSRF: a form another site posts carries no cookie of the desk's sign-in page.
    r = desk.request("POST", "/sign-in", "user=alice&password=alice-password-1", form)
    check(r.status == 403 and "set-cookie" not in r.headers or
          "twinscan_session" not in r.header("Set-Cookie"),
          "a sign-in form without the page's cookie signs nobody in", r)
    check(r.status == 403 and "did not come from the desk" in r.body,
          "the refusal says why, on a fresh sign-in page", r)
    cookie, token = sign_in_form(desk)
    r = desk.request("POST", "/sign-in", "user=alice&password=alice-password-1&sign_in_token=x" +
                     token, form, cookie)
    check(r.status == 403, "a token that is not the cookie's: refused", r)
    r = desk.request("POST", "/sign-in",
                     "user=alice&password=alice-password-1&sign_in_token=" + token, form, cookie)
    check(r.status == 303 and "twinscan_session=" in r.header("Set-Cookie"),
          "the desk's own form signs in", r)
    session = r.header("Set-Cookie").split(";")[0]
    # A name no user can have is not stored: a 2 MB name leaves the trail small.
    before = os.path.getsize(desk.db)
    for _ in range(3):
        r = desk.request("POST", "/api/session", {"user": "A" * 2_000_000, "password": "x"})
        check(r.status == 401, "an impossible user name: 401", r)
    check(os.path.getsize(desk.db) < before + 1_000_000,
          "impossible names are not written to the database", (before, os.path.getsize(desk.db)))
    entries = desk.request("GET", "/api/audit?q=not+a+user+name", cookie=session).json()["entries"]
    check(len(entries) == 3 and all(len(e["subject"]) < 100 for e in entries),
          "each attempt is audited without its text", entries)
    # Bytes that are not UTF-8 in a form: 400, nothing stored.
    _, csrf = desk.sign_in("alice")
    r = desk.request("POST", "/sign-in", b"user=%FF%FE&password=x", form)
    check(r.status == 400, "a sign-in form with bytes that are not UTF-8: 400", r)
    # A newline in the path is refused before routing, as other control characters are.
    r = desk.request("GET", "/x%0aINJECTED")
    check(r.status == 400, "a decoded newline in the path: 400", r)
    # The database is its owner's alone.
    mode = os.stat(desk.db).st_mode & 0o777
    check(mode == 0o600, "the desk database is created readable by its owner only", oct(mode))


def slow_clients_do_not_hold_the_workers(desk, root):
    import socket
    import time
    stop = threading.Event()
    socks = []
    for _ in range(6):  # three times the desk's two workers
        s = socket.create_connection(("127.0.0.1", desk.port), timeout=30)
        s.sendall(b"GET /sign-in HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)

    def trickle():
        i = 0
        while not stop.wait(2):
            for s in socks:
                try:
                    s.sendall(f"X-Slow-{i}: y\r\n".encode())
                except OSError:
                    pass
            i += 1
    feeder = threading.Thread(target=trickle)
    feeder.start()
    try:
        time.sleep(1)
        for _ in range(3):
            started = time.time()
            r = desk.request("GET", "/sign-in")
            took = time.time() - started
            check(r.status == 200 and took < 5,
                  "a request is answered while six slow clients trickle their headers",
                  (r.status, round(took, 2)))
    finally:
        stop.set()
        feeder.join()
        for s in socks:
            s.close()


def decisions_refuse_blank_long_and_expired_text(desk, root):
    cookie, csrf = desk.sign_in("alice")
    fp = desk.request("GET", "/api/findings", cookie=cookie).json()["findings"][0]["fingerprint"]

    def decide(body):
        return desk.request("POST", f"/api/findings/{fp}/decision", body, None, cookie, csrf)
    r = decide({"decision": "dismissed", "justification": "   "})
    check(r.status == 400 and "reason" in r.json()["error"], "a blank reason: 400", r)
    r = decide({"decision": "dismissed", "justification": "x" * 5000})
    check(r.status == 400 and "4000 bytes" in r.json()["error"], "a 5000-byte reason: 400", r)
    r = decide({"decision": "dismissed", "justification": "bad\u001b[31m"})
    check(r.status == 400 and "control characters" in r.json()["error"],
          "an escape character in a reason: 400", r)
    r = decide({"decision": "suppressed", "justification": "Letter on file.",
                "expires": "2001-01-01"})
    check(r.status == 400 and "not after today" in r.json()["error"],
          "a suppression that has already expired: 400", r)
    r = decide({"decision": "confirmed", "expires": "2099-01-01"})
    check(r.status == 400 and "only a suppression" in r.json()["error"],
          "an expiry sent with a confirmation: 400, not dropped", r)
    r = decide({"decision": "suppressed", "justification": "Letter on file.",
                "expires": "2099-01-01"})
    check(r.status == 200, "a suppression until a later date is recorded", r)
    # Filters the list does not know are said, not shown as an empty list.
    for query, word in (("severity=bogus", "severity"), ("severity=HIGH", "severity"),
                        ("status=bogus", "status")):
        r = desk.request("GET", "/api/findings?" + query, cookie=cookie)
        check(r.status == 400 and word in r.json()["error"], f"{query}: 400 naming the filter", r)
        r = desk.request("GET", "/findings?" + query, cookie=cookie)
        check(r.status == 400 and "is one of" in r.body, f"the page with {query}: 400 saying why",
              r)
    r = desk.request("GET", "/api/findings?severity=high&status=open", cookie=cookie)
    check(r.status == 200, "known filters still list", r)


def pages_are_gzipped_and_refusals_are_pages(desk, root):
    import gzip
    import http.client
    import time
    # Browsers offer brotli first; the library's brotli took half a second a page.
    cookie, _ = desk.sign_in("alice")
    for path in ("/sign-in", "/findings", "/audit"):
        conn = http.client.HTTPConnection("127.0.0.1", desk.port, timeout=60)
        started = time.monotonic()
        conn.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br",
                                           "Cookie": cookie})
        r = conn.getresponse()
        raw = r.read()
        took = time.monotonic() - started
        conn.close()
        check(r.status == 200 and r.getheader("Content-Encoding") == "gzip",
              f"GET {path} offering br and gzip: gzip ({r.status}, "
              f"{r.getheader('Content-Encoding')}, {took:.3f} s)")
        text = gzip.decompress(raw).decode()
        check("</html>" in text, f"GET {path}: the whole page, gzipped")
    # A body too large for the desk, posted by a browser: a page with a way on.
    r = desk.request("POST", "/screen", "x" * (9 << 20),
                     {"Accept": "text/html,application/xhtml+xml",
                      "Content-Type": "application/x-www-form-urlencoded"}, cookie)
    check(r.status == 413 and r.header("Content-Type").startswith("text/html")
          and "larger than the desk accepts (8 MiB" in r.body and 'href="/screen"' in r.body,
          "a 9 MiB form from a browser: 413 as a desk page linking back", r)


def sign_in_leads_back_to_the_page_asked_for(desk, root):
    from urllib.parse import parse_qs, quote, urlsplit
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    reader, _ = desk.sign_in("victor")
    fp = desk.request("GET", "/api/findings", cookie=reader).json()["findings"][0]["fingerprint"]
    asked = f"/findings/{fp}?view=evidence&q=port%20%C3%A9"

    def same_page(a, b):  # the same path and query parameters, in any order
        return urlsplit(a).path == urlsplit(b).path and \
            parse_qs(urlsplit(a).query) == parse_qs(urlsplit(b).query)

    r = desk.request("GET", asked)
    check(r.status == 303 and r.header("Location").startswith("/sign-in?next="),
          "a finding's link without a session leads to the sign-in page", r)
    r = desk.request("GET", r.header("Location"))
    field = re.search(r'name="next" value="([^"]+)"', r.body)
    token = re.search(r'name="sign_in_token" value="([^"]+)"', r.body)
    check(r.status == 200 and field is not None and same_page(html.unescape(field.group(1)), asked),
          "the sign-in form carries the page asked for", r.body[:2000])
    cookie = r.header("Set-Cookie").split(";")[0]

    def sign_in_to(next_page):
        c, t = sign_in_form(desk)
        return desk.request("POST", "/sign-in", "user=alice&password=alice-password-1"
                            "&sign_in_token=" + t + "&next=" + quote(next_page, safe=""),
                            form, c)

    r = desk.request("POST", "/sign-in", "user=alice&password=alice-password-1&sign_in_token=" +
                     token.group(1) + "&next=" + quote(html.unescape(field.group(1)), safe=""),
                     form, cookie)
    check(r.status == 303 and same_page(r.header("Location"), asked),
          "signing in goes on to the page asked for", r.headers)
    session = r.header("Set-Cookie").split(";")[0]
    r = desk.request("GET", r.header("Location"), cookie=session)
    check(r.status == 200 and fp in r.body, "and that page opens", r)
    # Nothing but a page of the desk: another site, or back to the sign-in, goes to the
    # findings instead.
    for hostile in ("//evil.example/x", "https://evil.example/", "/\\evil.example",
                    "/sign-in", "/findings\r\nSet-Cookie: x=1", "findings"):
        r = sign_in_to(hostile)
        check(r.status == 303 and r.header("Location") == "/findings",
              f"a sign-in asked to go on to {hostile!r} goes to the findings", r)
    # A wrong password keeps where to go on to.
    c, t = sign_in_form(desk)
    r = desk.request("POST", "/sign-in", "user=alice&password=wrong-password-1&sign_in_token=" +
                     t + "&next=" + quote("/audit", safe=""), form, c)
    check(r.status == 401 and 'name="next" value="/audit"' in r.body,
          "a failed sign-in still goes on to the page asked for", r)
    # A viewer is not offered a screening it may not run.
    viewer, _ = desk.sign_in("victor")
    r = desk.request("GET", "/screenings", cookie=viewer)
    check(r.status == 200 and 'href="/screen"' not in r.body,
          "a viewer's pages hold no link to screen a request", r)
    r = desk.request("GET", "/screenings", cookie=session)
    check(r.status == 200 and 'href="/screen"' in r.body,
          "a reviewer's pages link to screen a request", r)


GROUPS = {
    "every-api-route-needs-a-session": (every_api_route_needs_a_session, 0),
    "sign-in-and-wrong-password": (sign_in_and_wrong_password, 0),
    "roles-and-csrf-are-enforced": (roles_and_csrf_are_enforced, 0),
    "bad-requests-are-refused": (bad_requests_are_refused, 0),
    "screening-matches-the-command-line": (screening_matches_the_command_line, 0),
    "decisions-are-recorded-and-audited": (decisions_are_recorded_and_audited, 0),
    "concurrent-clients-lose-nothing": (concurrent_clients_lose_nothing, 8),
    "sigterm-shuts-down-cleanly": (sigterm_shuts_down_cleanly, 0),
    "entity-page-shows-sources-and-neighbours": (entity_page_shows_sources_and_neighbours, 0),
    "findings-new-since-a-date": (findings_new_since_a_date, 0),
    "notes-and-assignment-follow-the-finding": (notes_and_assignment_follow_the_finding, 0,
                                                {"users": CASE_USERS}),
    "schema-2-database-gains-notes-and-assignments": (
        schema_2_database_gains_notes_and_assignments, 0),
    "sign-in-rate-limit-answers-429-with-retry-after": (
        sign_in_rate_limit_answers_429_with_retry_after, 0),
    "entity-ids-with-reserved-and-non-ascii-characters-open": (
        entity_ids_with_reserved_and_non_ascii_characters_open, 0, {"registry": odd_registry}),
    "screening-page-names-the-request-and-its-entities": (
        screening_page_names_the_request_and_its_entities, 0),
    "relations-are-said-in-words": (relations_are_said_in_words, 0,
                                    {"registry": words_registry}),
    "audit-page-says-each-entry-in-words": (audit_page_says_each_entry_in_words, 0),
    "entity-page-names-sources-and-heads-its-lists": (
        entity_page_names_sources_and_heads_its_lists, 0),
    "finding-page-reads-plainly": (finding_page_reads_plainly, 0),
    "follow-up-page-shows-charts-for-every-role": (follow_up_page_shows_charts_for_every_role, 0,
                                                   {"users": CASE_USERS}),
    "hostile-sign-ins-and-inputs-are-refused": (hostile_sign_ins_and_inputs_are_refused, 0),
    "decisions-refuse-blank-long-and-expired-text": (
        decisions_refuse_blank_long_and_expired_text, 0),
    "slow-clients-do-not-hold-the-workers": (slow_clients_do_not_hold_the_workers, 0),
    "pages-are-gzipped-and-refusals-are-pages": (pages_are_gzipped_and_refusals_are_pages, 0),
    "a-screening-reads-the-same-after-a-restart": (
        a_screening_reads_the_same_after_a_restart, 0),
    "sign-in-leads-back-to-the-page-asked-for": (sign_in_leads_back_to_the_page_asked_for, 0),
}


def main():
    twinscan, root, group = sys.argv[1], sys.argv[2], sys.argv[3]
    run, extra_users, *options = GROUPS[group]
    options = dict(options[0]) if options else {}
    folder = tempfile.mkdtemp(prefix="twinscan-registry-")
    try:
        if "registry" in options:
            options["registry"] = options["registry"](folder)
        if "users" in options:
            options["users"] = dict(options["users"])
        desk = Desk(twinscan, root, extra_users=extra_users, **options)
        try:
            run(desk, root)
            if desk.process.poll() is None:
                check(desk.stop() == 0, "the desk exits 0 on SIGTERM")
        except Exception:
            print(desk.log_text())
            raise
        finally:
            desk.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
