#!/usr/bin/env bash
# The desk's server library (cpp-httplib, with OpenSSL, zlib and Brotli behind it) costs a
# process about a dozen milliseconds and 6 MB to load, so it is a module loaded by
# `twinscan serve` alone (analyzer/server/http_module.h). This checks, with the dynamic
# loader's own account (LD_DEBUG=libs), that a scan loads none of those libraries and
# that a desk does load them, also where anonymous files are refused.
set -euo pipefail
twinscan=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${desk:-}" ] && kill "$desk" 2>/dev/null || true' EXIT

LD_DEBUG=libs "$twinscan" -q scan --registry "$root/data/sample" --format json \
  --fail-on never --output "$work/scan.json" 2> "$work/scan.libs"
# The account is there: the libraries every command needs are named in it.
grep -q 'calling init: .*libsqlite3' "$work/scan.libs" ||
  { echo "FAIL: LD_DEBUG=libs named no libsqlite3 for a scan; the check below would prove nothing"; exit 1; }
if grep -E 'calling init: .*(httplib|libssl|libcrypto|libbrotli)' "$work/scan.libs"; then
  echo "FAIL: a scan loaded the desk's server library or what it links (above)"
  exit 1
fi

# Starts a desk on any free port, its standard error in $work/NAME.log, with the
# environment given after the name (VAR=value ...), and waits until it listens; its
# process is $desk.
start_desk() {
  local name=$1
  shift
  env "$@" "$twinscan" serve --registry "$root/data/sample" --db "$work/$name.sqlite" \
    --listen 127.0.0.1:0 2> "$work/$name.log" &
  desk=$!
  for _ in $(seq 1 300); do
    grep -q 'the desk listens on' "$work/$name.log" && return 0
    sleep 0.1
  done
  echo "FAIL: the desk ($name) did not start:"
  tail -20 "$work/$name.log"
  exit 1
}
stop_desk() {
  kill "$desk" 2>/dev/null || true
  wait "$desk" 2>/dev/null || true
}

# A desk loads the module, and the libraries with it, before it opens its registry.
start_desk libs LD_DEBUG=libs
grep -q 'calling init: .*libcpp-httplib' "$work/libs.log" ||
  { echo "FAIL: the desk listens, yet LD_DEBUG=libs named no libcpp-httplib"; exit 1; }
stop_desk

# Where anonymous files are refused (a shim makes memfd_create fail), the module is
# written to a temporary folder instead, and the desk starts all the same.
cat > "$work/no_memfd.c" <<'SHIM'
#include <errno.h>
int memfd_create(const char* name, unsigned flags) {
  (void)name;
  (void)flags;
  errno = EPERM;
  return -1;
}
SHIM
cc -shared -fPIC -o "$work/no_memfd.so" "$work/no_memfd.c"
mkdir "$work/tmp"
start_desk no-memfd LD_PRELOAD="$work/no_memfd.so" TMPDIR="$work/tmp" XDG_RUNTIME_DIR=
# The module's file was made there, and unlinked at once: the desk's open descriptor
# names it as deleted.
ls -l "/proc/$desk/fd" | grep -q "$work/tmp/twinscan-http-.* (deleted)" ||
  { echo "FAIL: the desk started, but not from a file in \$TMPDIR:"; ls -l "/proc/$desk/fd"; exit 1; }
! ls "$work/tmp" | grep -q '^twinscan-http-' ||
  { echo "FAIL: the module's file was left in \$TMPDIR:"; ls -l "$work/tmp"; exit 1; }
echo "ok: a scan loads no server library; the desk loads it, from a temporary file where" \
  "anonymous files are refused"
