#!/usr/bin/env bash
# Runs one command-line golden case: a folder holding
#   cmd              the arguments to twinscan, one line (may use $ROOT for the repo root)
#   expected_exit    the exit status expected (default 0)
#   expected_stderr  optional: stderr must equal it exactly
#   expected_stdout  optional: stdout must equal it exactly
# and whatever input files the command names (paths relative to the case folder).
set -u
twinscan=$1
case_dir=$2
ROOT=$3
export ROOT
cd "$case_dir" || exit 2
args=$(cat cmd)
expected_exit=0
[ -f expected_exit ] && expected_exit=$(cat expected_exit)
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# A file being written is named .NAME.XXXXXX beside its destination until it is whole;
# none may be left behind, whatever the exit status.
partial_files() { find . -maxdepth 1 -name '.*.??????' -type f | sort; }
partial_before=$(partial_files)
eval "set -- $args"
"$twinscan" "$@" >"$out" 2>"$err" </dev/null
status=$?
failed=0
partial_after=$(partial_files)
if [ "$partial_after" != "$partial_before" ]; then
  echo "half-written files left behind:"
  comm -13 <(echo "$partial_before") <(echo "$partial_after")
  comm -13 <(echo "$partial_before") <(echo "$partial_after") | xargs -r rm -f
  failed=1
fi
if [ "$status" != "$expected_exit" ]; then
  echo "exit status $status, expected $expected_exit"
  failed=1
fi
if [ -f expected_stderr ] && ! diff -u expected_stderr "$err"; then
  echo "stderr differs from expected_stderr (above)"
  failed=1
fi
if [ -f expected_stdout ] && ! diff -u expected_stdout "$out"; then
  echo "stdout differs from expected_stdout (above)"
  failed=1
fi
if [ "$failed" = 1 ]; then
  echo "--- stderr was:"
  cat "$err"
fi
exit $failed
