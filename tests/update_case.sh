#!/usr/bin/env bash
# Rewrites the expected output of command-line golden cases from what the binary prints
# now, after a reviewed change: expected_exit always, expected_stdout and expected_stderr
# where the case already has them (or with --all, always).
#   tests/update_case.sh [--all] BUILD/twinscan tests/cli/CASE...
set -u
all=0
if [ "${1:-}" = "--all" ]; then all=1; shift; fi
twinscan=$(realpath "$1")
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
for case_dir in "$@"; do
  [ -f "$case_dir/cmd" ] || { echo "$case_dir: no cmd file" >&2; continue; }
  (
    cd "$case_dir" || exit 1
    eval "set -- $(cat cmd)"
    "$twinscan" "$@" >.stdout 2>.stderr </dev/null
    echo $? >expected_exit
    if [ $all = 1 ] || [ -f expected_stdout ]; then mv .stdout expected_stdout; else rm .stdout; fi
    if [ $all = 1 ] || [ -f expected_stderr ]; then mv .stderr expected_stderr; else rm .stderr; fi
  )
  echo "updated $case_dir"
done
