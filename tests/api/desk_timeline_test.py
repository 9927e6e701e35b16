#!/usr/bin/env python3
"""The desk's entity page shows the entity's timeline: `desk_timeline_test.py TWINSCAN ROOT`.
The events listed on the page of mun:ashdod are those of `twinscan timeline --format json`,
in the same order (oldest first), each with its source. Exit 0 when every check holds."""
import html
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk import Desk  # noqa: E402

FAILURES = []


def check(condition, what, answer=None):
    if condition:
        print(f"ok: {what}")
    else:
        print(f"FAILED: {what}" + (f" ({answer!r})" if answer is not None else ""))
        FAILURES.append(what)


ROW = re.compile(r'<tr class="event"><td class="date">([^<]*)</td><td class="kind">([^<]*)</td>'
                 r'<td class="what">(.*?)</td><td class="source">([^<]*)</td></tr>')


def main():
    twinscan, root = sys.argv[1], sys.argv[2]
    cli = subprocess.run([twinscan, "timeline", "--registry", f"{root}/data/sample",
                          "--judgements", f"{root}/data/sample/judgements.json",
                          "--format", "json", "mun:ashdod"], capture_output=True, text=True)
    check(cli.returncode == 0, "twinscan timeline mun:ashdod exits 0", cli.stderr)
    expected = [(e["date"], e["kind"], e["source"]) for e in json.loads(cli.stdout)["events"]]
    desk = Desk(twinscan, root)
    try:
        cookie, _ = desk.sign_in("victor")
        r = desk.request("GET", "/entities/mun%3Aashdod", cookie=cookie)
        check(r.status == 200 and "<h2>Timeline</h2>" in r.body, "the entity page has a Timeline",
              r.status)
        rows = [(html.unescape(d), html.unescape(k), html.unescape(s))
                for d, k, _, s in ROW.findall(r.body)]
        check(len(rows) >= 4, "the page lists the dated events", rows)
        check(rows == expected, "the page lists the events of `twinscan timeline`, in its order",
              (rows, expected))
        dates = [d for d, _, _ in rows]
        check(dates == sorted(dates), "oldest first", dates)
        whats = [w for _, _, w, _ in ROW.findall(r.body)]
        order = [next((i for i, w in enumerate(whats) if needle in w), -1)
                 for needle in ("agr%3Aashdod-wuhan-mou-2009", "city%3Awuhan",
                                "agr%3Aashdod-bri-framework-2018", "agr%3Aashdod-ndrc-icc-mou-2019")]
        check(-1 not in order and order == sorted(order),
              "the 2009 MoU, the twinning, the 2018 framework and the 2019 MoU, in that order",
              order)
        check(all(s for _, _, s in rows), "each event names its source", rows)
        r = desk.request("GET", "/entities/person%3Ayehiel-lasri", cookie=cookie)
        check(r.status == 200 and "office held" in r.body,
              "a person's page shows the office held", r.status)
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
