#!/usr/bin/env bash
# Renders HTML reports in headless Chromium and checks what the browser built:
# - the sample scan: one drawing (an SVG with graph nodes) per finding with evidence;
# - a small registry whose findings begin with a Hebrew name and name a Chinese city:
#   the message element is laid out left to right (dir=ltr, computed direction ltr) with
#   the Hebrew name isolated in <bdi>, and the Chinese name is drawn with real glyphs
#   (each character about one em wide and unlike the missing-glyph box).
# Without Chromium it exits 77, which CTest reports as skipped (SKIP_RETURN_CODE).
set -euo pipefail
twinscan=$1
root=$2
# TWINSCAN_BROWSER names the browser to use (default: chromium on the PATH).
browser=${TWINSCAN_BROWSER:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ] || [ ! -x "$browser" ]; then
  echo "SKIPPED: chromium is not installed, so the HTML report was not checked in a browser" \
    "(scripts/install-deps --all installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dump_dom() {  # FILE PROFILE: the DOM Chromium built for the page, after its scripts ran
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/$2" --virtual-time-budget=2000 --dump-dom "file://$1" 2>>"$work/browser.log"
}

# 1. Drawings of the sample scan.
"$twinscan" scan -q --registry "$root/data/sample" --as-of 2026-11-22 --format html \
  --output "$work/report.html" --fail-on never
dump_dom "$work/report.html" profile >"$work/dom.html"
findings=$(grep -o '<section class="finding' "$work/dom.html" | wc -l)
drawings=$(grep -o '<svg' "$work/dom.html" | wc -l)
nodes=$(grep -o 'class="node"' "$work/dom.html" | wc -l)
echo "findings: $findings, drawings: $drawings, graph nodes drawn: $nodes"
[ "$findings" -gt 0 ] || { echo "no finding in the rendered page"; exit 1; }
[ "$drawings" -ge "$findings" ] || { echo "a finding has no drawing"; exit 1; }
[ "$nodes" -ge "$findings" ] || { echo "the drawings hold no graph nodes"; exit 1; }

# 2. A Hebrew-led message and a Chinese name.
cat >"$work/registry.json" <<'JSON'
{
  "format": "twinscan/1",
  "entities": [
    {"id": "mun:ashdod", "kind": "Municipality", "name": "אשדוד", "country": "IL"},
    {"id": "mun:eilat", "kind": "Municipality", "name": "Eilat", "country": "IL"},
    {"id": "auth:mfa", "kind": "CentralAuthority", "name": "Ministry of Foreign Affairs"},
    {"id": "city:ningbo", "kind": "ForeignCity", "name": "宁波市", "country": "CN"},
    {"id": "city:free", "kind": "ForeignCity", "name": "Free City", "country": "DE"},
    {"id": "agr:mou", "kind": "Agreement", "name": "宁波港", "type": "mou", "signed_on": "2026-01-10"},
    {"id": "agr:notified", "kind": "Agreement", "name": "Eilat twinning", "type": "twinning", "signed_on": "2005-06-12"}
  ],
  "relations": [
    {"kind": "PARTY_TO", "from": "mun:ashdod", "to": "agr:mou"},
    {"kind": "PARTY_TO", "from": "city:ningbo", "to": "agr:mou"},
    {"kind": "PARTY_TO", "from": "mun:eilat", "to": "agr:notified"},
    {"kind": "PARTY_TO", "from": "city:free", "to": "agr:notified"},
    {"kind": "NOTIFIED", "from": "agr:notified", "to": "auth:mfa", "on": "2005-06-27"}
  ]
}
JSON
"$twinscan" scan -q --registry "$work/registry.json" --as-of 2026-11-22 --format html \
  --rules "$root/rules/agreement-not-notified" --output "$work/names.html" --fail-on never
# The page with a script that measures what the browser laid out and writes it to the DOM.
cat >"$work/measure.js" <<'JS'
(function () {
  const out = {};
  const msg = Array.from(document.querySelectorAll(".message")).find(
      e => e.textContent.startsWith("אשדוד"));
  out.message = msg ? "found" : "missing";
  if (msg) {
    out.dir = msg.getAttribute("dir");
    out.direction = getComputedStyle(msg).direction;
    const first = msg.firstElementChild;
    out.isolated = first && first.tagName === "BDI" && first.textContent === "אשדוד" ? "yes" : "no";
  }
  const cjk = Array.from(document.querySelectorAll("bdi")).find(e => e.textContent === "宁波港");
  out.cjk = cjk ? "found" : "missing";
  if (cjk) {
    const size = parseFloat(getComputedStyle(cjk).fontSize);
    out.em_per_char = (cjk.getBoundingClientRect().width / 3 / size).toFixed(2);
    // Draw one character in the page font and a code point no font has (the
    // missing-glyph box), and compare the pixels.
    const family = getComputedStyle(cjk).fontFamily;
    const draw = text => {
      const c = document.createElement("canvas");
      c.width = c.height = 64;
      const g = c.getContext("2d");
      g.font = "48px " + family;
      g.fillText(text, 4, 52);
      return Array.from(g.getImageData(0, 0, 64, 64).data).join(",");
    };
    out.glyph = draw("宁") === draw("\u{10FFFD}") ? "missing" : "drawn";
  }
  const p = document.createElement("pre");
  p.id = "measured";
  p.textContent = Object.entries(out).map(([k, v]) => k + "=" + v).join(" ");
  document.body.appendChild(p);
})();
JS
sed 's|</body>|<script src="measure.js"></script></body>|' "$work/names.html" >"$work/measure.html"
dump_dom "$work/measure.html" profile2 >"$work/dom2.html"
measured=$(grep -o '<pre id="measured">[^<]*' "$work/dom2.html" | sed 's/.*>//' || true)
echo "measured: $measured"
fail=0
for want in message=found dir=ltr direction=ltr isolated=yes cjk=found glyph=drawn; do
  case " $measured " in
    *" $want "*) ;;
    *) echo "expected $want"; fail=1 ;;
  esac
done
em=$(sed -n 's/.*em_per_char=\([0-9.]*\).*/\1/p' <<<"$measured")
if [ -z "$em" ] || ! awk -v e="$em" 'BEGIN { exit !(e >= 0.9 && e <= 1.2) }'; then
  echo "a Chinese character should be about one em wide, measured ${em:-nothing}"
  fail=1
fi
[ "$fail" = 0 ] || { echo "--- browser log:"; tail -20 "$work/browser.log"; exit 1; }

if [ "${TWINSCAN_SCREENSHOT:-}" != "" ]; then
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --user-data-dir="$work/profile3" --window-size=1200,1600 --screenshot="$TWINSCAN_SCREENSHOT" \
    "file://$work/report.html" 2>/dev/null
fi
