#!/usr/bin/env python3
"""The desk's API over a real socket: `desk_api_test.py TWINSCAN ROOT GROUP`, one group
of checks per CTest test (tests/CMakeLists.txt). Exit 0 when every check holds."""
import json
import os
import subprocess
import sys
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
    check(r.status == 303 and r.header("Location") == "/sign-in",
          "a page without a session redirects to /sign-in", r)
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
    check("ulai (local-authorities)" in r.body and "cn-friendship-list (foreign-side)" in r.body,
          "the page names the sources with their roles", r)
    check("Wuhan (city:wuhan)" in r.body and "TWINNED_WITH" in r.body,
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
    check(v.returncode == 0 and version == 2 and tables == ["first_seen"],
          "a version 1 database is migrated to version 2 with the first_seen table",
          (v.returncode, v.stderr, version, tables))


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
}


def main():
    twinscan, root, group = sys.argv[1], sys.argv[2], sys.argv[3]
    run, extra_users = GROUPS[group]
    desk = Desk(twinscan, root, extra_users=extra_users)
    try:
        run(desk, root)
        if desk.process.poll() is None:
            check(desk.stop() == 0, "the desk exits 0 on SIGTERM")
    except Exception:
        print(desk.log_text())
        raise
    finally:
        desk.close()
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
