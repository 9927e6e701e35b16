#!/usr/bin/env python3
"""The reviewer's desk in a real browser (headless Chromium through chromedriver and
python3-selenium): sign in, screen the bundled Ashdod-Ningbo request, read "Escalate",
suppress a finding with a justification, add a note to it, open one of its entities' page and see its
neighbourhood drawn, and find the decision in the audit trail page. Every page also fits a
window 400 pixels wide without scrolling sideways, and the finding, screening and entity
pages say relations in words, never by their kind's name (OWNED_BY).
`desk_browser_test.py TWINSCAN ROOT ARTIFACTS`: on failure, screenshots and the page's
HTML go to ARTIFACTS. Exits 77 (skipped) only when Chromium, chromedriver or selenium is
not installed (scripts/install-deps --all installs them)."""
import json
import os
import re
import shutil
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from desk import Desk  # noqa: E402

REQUEST = "ashdod-ningbo-port-mou.json"
WIDE = (1280, 1600)
NARROW = (400, 900)
# A finding whose rule's rationale speaks of a relation kind ("records this subordination as
# CONTROLLED_BY"), which the finding page says in words.
KIND_IN_RATIONALE_RULE = "partner-city-under-central-government"

# What sticks out of the window at the root's scroll width: the outermost elements wider
# than the window that no box of their own scrolls (a table or a drawing that scrolls in its
# own box is fine), as "tag#id.class: right edge".
WIDEST = """
var width = document.documentElement.clientWidth, out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var right = e.getBoundingClientRect().right;
  if (right <= width + 0.5) return;
  for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return;
    if (a.getBoundingClientRect().right > width + 0.5) return;
  }
  var cls = typeof e.className === 'string' && e.className ? '.' + e.className : '';
  out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + cls + ': ' + Math.round(right));
});
return out.slice(0, 5);
"""


def relation_kinds(root):
    """The relation kinds of data/schema.json (JSON with // comment lines)."""
    with open(os.path.join(root, "data", "schema.json"), encoding="utf-8") as f:
        text = re.sub(r"^\s*//.*$", "", f.read(), flags=re.M)
    return list(json.loads(text)["relations"])


def raw_kind_pattern(root):
    """A kind's name as a word: any NAME_LIKE_THIS (a kind of a schema extension too), and
    the schema's kinds without an underscore (NOTIFIED, CONCERNS, …) as capitalised words.
    Nothing the desk shows legitimately looks like this in the sample registry: entity
    kinds are CamelCase (ForeignCity), property values lower-case (united_front)."""
    plain = [k for k in relation_kinds(root) if "_" not in k]
    return re.compile(r"\b[A-Z]+_[A-Z_]+\b" + "".join(rf"|\b{k}\b" for k in plain))


def find_tools():
    try:
        import selenium  # noqa: F401
    except ImportError:
        # Debian's python3-selenium belongs to the system's Python; another python3 first
        # on the PATH (pyenv, a virtualenv) does not see it: run again with the system's.
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and \
                os.access(system, os.X_OK):
            os.execv(system, [system] + sys.argv)
        return None, "python3-selenium is not installed"
    # TWINSCAN_BROWSER names the browser to use (default: chromium on the PATH).
    browser = os.environ.get("TWINSCAN_BROWSER") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if not browser or not os.access(browser, os.X_OK):
        return None, "chromium is not installed"
    if not driver:
        return None, "chromium-driver is not installed"
    return (browser, driver), None


def main():
    twinscan, root, artifacts = sys.argv[1], sys.argv[2], sys.argv[3]
    tools, missing = find_tools()
    if tools is None:
        print(f"SKIPPED: {missing}, so the desk was not driven in a browser "
              "(scripts/install-deps --all installs it)")
        return 77
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser, chromedriver = tools
    profile = tempfile.mkdtemp(prefix="twinscan-browser-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--window-size=1280,1600", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    raw_kind = raw_kind_pattern(root)
    desk = Desk(twinscan, root)
    driver = None
    step = "start"
    shots = 0

    def screenshot(name):
        nonlocal shots
        os.makedirs(artifacts, exist_ok=True)
        shots += 1
        driver.save_screenshot(os.path.join(artifacts, f"{shots:02d}-{name}.png"))
        with open(os.path.join(artifacts, f"{shots:02d}-{name}.html"), "w") as f:
            f.write(driver.page_source)

    def fits_narrow_window(page):
        """The page, 400 pixels wide, is no wider than the window; the window is made wide
        again after."""
        driver.set_window_size(*NARROW)
        try:
            inner = driver.execute_script("return window.innerWidth")
            assert inner <= NARROW[0], f"the window did not narrow ({inner} px wide)"
            scroll, client = driver.execute_script(
                "var r = document.documentElement; return [r.scrollWidth, r.clientWidth];")
            if scroll > client:
                screenshot(f"narrow-{page.replace(' ', '-')}")
            assert scroll <= client, (
                f"the {page} page is {scroll} px wide in a window {client} px wide; "
                f"widest: {driver.execute_script(WIDEST)}")
        finally:
            driver.set_window_size(*WIDE)
        print(f"ok: the {page} page fits a window {NARROW[0]} px wide")

    def says_relations_in_words(page):
        """No relation kind's name in the page's visible text or its drawings' labels."""
        text = driver.find_element(By.TAG_NAME, "body").text + "\n" + driver.execute_script(
            "return Array.from(document.querySelectorAll('svg text'),"
            " function (t) { return t.textContent; }).join('\\n');")
        found = sorted(set(raw_kind.findall(text)))
        assert not found, f"the {page} page shows relation kinds by name: {found}"
        print(f"ok: the {page} page says its relations in words")

    try:
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        wait = WebDriverWait(driver, 30)
        base = f"http://127.0.0.1:{desk.port}"

        step = "sign-in"
        driver.get(base + "/findings")
        wait.until(ec.url_contains("/sign-in"))
        fits_narrow_window("sign-in")
        driver.find_element(By.ID, "user").send_keys("alice")
        driver.find_element(By.ID, "password").send_keys("alice-password-1")
        driver.find_element(By.ID, "sign-in").click()
        wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Findings"))
        assert "of the registry, 0 of screenings" in driver.find_element(By.ID, "counts").text
        print("ok: signed in; the findings page shows its counts")
        fits_narrow_window("findings")

        step = "screen"
        driver.get(base + "/screen")
        fits_narrow_window("screening form")
        Select(driver.find_element(By.ID, "bundled")).select_by_value(REQUEST)
        driver.find_element(By.ID, "screen-button").click()
        wait.until(ec.presence_of_element_located((By.ID, "verdict")))
        verdict = driver.find_element(By.ID, "verdict").text
        assert verdict == "Escalate", f"the verdict reads {verdict!r}"
        print("ok: screening the bundled request reads Escalate")
        fits_narrow_window("screening")
        says_relations_in_words("screening")

        step = "suppress"
        link = driver.find_element(By.CSS_SELECTOR, "tr.finding-row a")
        title = link.text
        link.click()
        wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), title))
        fingerprint = driver.current_url.rstrip("/").split("/")[-1]
        expires = driver.find_element(By.ID, "expires-label")
        assert not expires.is_displayed(), "the expiry shows before suppress is chosen"
        driver.find_element(By.ID, "decision-suppressed").click()
        assert expires.is_displayed(), "the script did not show the expiry (blocked?)"
        justification = "Port MoU reviewed with the ministry; partner vetted"
        driver.find_element(By.ID, "justification").send_keys(justification)
        driver.find_element(By.ID, "expires").send_keys("2099-12-31")
        driver.find_element(By.ID, "record-decision").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "Suppressed"))
        assert justification in driver.find_element(By.ID, "decisions").text
        print("ok: the finding is suppressed with its justification")

        step = "note"
        note = "Asked the port authority for the lease <terms>; 宁波 · אשדוד"
        driver.find_element(By.ID, "note-text").send_keys(note)
        driver.find_element(By.ID, "add-note").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#notes .note-text")))
        shown = driver.find_element(By.CSS_SELECTOR, "#notes li:last-child")
        assert note in shown.text and "alice" in shown.text, shown.text
        assert driver.current_url.rstrip("/").endswith(fingerprint), driver.current_url
        print("ok: a note added on the finding shows on its page with its author")
        assert driver.find_elements(By.CSS_SELECTOR, ".evidence svg"), "no evidence drawing"
        fits_narrow_window("finding")
        says_relations_in_words("finding")

        step = "entity"
        link = driver.find_element(By.CSS_SELECTOR, "ul.entities a.entity-link")
        name = link.text
        link.click()
        wait.until(ec.url_contains("/entities/"))
        heading = driver.find_element(By.TAG_NAME, "h1")
        assert heading.text == name, f"the entity page is headed {heading.text!r}, not {name!r}"
        assert heading.get_attribute("dir") == "auto", "the entity's name is not dir=auto"
        drawing = driver.find_element(By.CSS_SELECTOR, "#neighbourhood svg")
        assert drawing.is_displayed() and drawing.size["width"] > 0, "no neighbourhood drawing"
        assert driver.find_elements(By.CSS_SELECTOR, "#neighbourhood svg g.node"), \
            "the neighbourhood drawing has no entity"
        assert "Stated by" in [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
        assert driver.find_element(By.ID, "sources").text.strip(), "no source is named"
        headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h3")]
        assert headings[:2] == ["Relations", "Entities one relation away"], headings
        print(f"ok: the finding's entity {name!r} opens its page with its neighbourhood drawn")
        assert driver.find_elements(By.CSS_SELECTOR, "#timeline .verb"), \
            "the entity's timeline has no relation"
        fits_narrow_window("entity")
        says_relations_in_words("entity")

        step = "rationale"
        driver.get(base + "/findings?rule=" + KIND_IN_RATIONALE_RULE)
        links = driver.find_elements(By.CSS_SELECTOR, "#findings td a")
        assert links, f"no finding of the rule {KIND_IN_RATIONALE_RULE}"
        links[0].click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".rationale .verb")))
        says_relations_in_words(f"{KIND_IN_RATIONALE_RULE} finding")

        step = "screenings"
        driver.get(base + "/screenings")
        fits_narrow_window("screenings")
        driver.get(base + "/follow-up")
        fits_narrow_window("follow-up")

        step = "audit"
        driver.get(base + "/audit")
        search = driver.find_element(By.ID, "audit-search")
        search.send_keys(fingerprint)
        search.submit()
        wait.until(ec.url_contains("q=" + fingerprint))
        rows = driver.find_elements(By.CSS_SELECTOR, "#audit tbody tr")
        texts = [r.text for r in rows]
        assert any("decision" in t and "alice" in t and "suppressed" in t for t in texts), texts
        print("ok: the audit trail page finds the decision")
        fits_narrow_window("audit trail")
        lines = driver.execute_script(
            "var r = document.createRange(); r.selectNodeContents(arguments[0]);"
            "return r.getClientRects().length;",
            driver.find_element(By.CSS_SELECTOR, "#audit td.when"))
        assert lines == 1, f"the audit entry's date wraps onto {lines} lines"
        placeholder_fits = driver.execute_script(
            "var i = arguments[0], c = document.createElement('canvas').getContext('2d');"
            "var st = getComputedStyle(i); c.font = st.fontSize + ' ' + st.fontFamily;"
            "return c.measureText(i.placeholder).width <= i.clientWidth;",
            driver.find_element(By.ID, "audit-search"))
        assert placeholder_fits, "the search field is narrower than its placeholder"
        print("ok: the audit trail's dates stay on one line and its search field shows its "
              "placeholder")

        step = "console"
        problems = [e["message"] for e in driver.get_log("browser")
                    if e.get("level") == "SEVERE"]
        assert not problems, f"the browser reported errors: {problems}"
        print("ok: no error in the browser's console (no Content-Security-Policy violation)")
        return 0
    except Exception:
        traceback.print_exc()
        print(f"FAILED at step {step}; screenshots in {artifacts}")
        if driver is not None:
            try:
                screenshot(step)
            except Exception:
                traceback.print_exc()
        print(desk.log_text())
        return 1
    finally:
        if driver is not None:
            driver.quit()
        desk.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
