#!/usr/bin/env bash
# Prefetches ask for table slots a few steps ahead; the compiler deletes them without a
# word when they sit in a function of their own that it does not inline (see
# analyzer/util/prefetch.h). This checks both halves of the cure:
# 1. no source calls __builtin_prefetch but util::prefetch;
# 2. in an optimised binary, the loops that depend on prefetching still hold prefetch
#    instructions: the merge of relations across documents, the interning of each batch
#    of statements read, the moves of sorted findings, the naming of relations without
#    ids and the searches' steps to far ends (skipped for a binary built without
#    optimisation, or with sanitizers, where inlining differs).
# Usage: prefetches_are_kept.sh ROOT [TWINSCAN_BINARY]
set -euo pipefail
root=$1
binary=${2:-}

raw=$(grep -rn --include='*.cpp' --include='*.h' '__builtin_prefetch' "$root/analyzer" \
  | grep -v '^[^:]*analyzer/util/prefetch\.h:' || true)
if [ -n "$raw" ]; then
  echo "FAIL: __builtin_prefetch called directly; call util::prefetch (analyzer/util/prefetch.h):"
  echo "$raw"
  exit 1
fi
echo "ok: every prefetch goes through util::prefetch"

[ -n "$binary" ] || exit 0
if ! command -v objdump >/dev/null || ! command -v nm >/dev/null; then
  echo "FAIL: objdump and nm (binutils) are needed to read the binary"
  exit 1
fi
# Functions whose hot loops prefetch, by the start of their mangled names, and how many
# places in their source prefetch (each at least one instruction).
functions=(
  _ZN8twinscan5model15StatementMerger15merge_relationsEv:2  # the ends' table, the ids'
  _ZN8twinscan2io18FastDocumentReader4Impl11add_batchesE:1  # add(), inlined: the pool's slots ahead
  _ZN8twinscan5rules13sort_findingsE:1                      # the findings ahead on a cycle
  _ZN8twinscan5model12_GLOBAL__N_119derive_relation_idsE:2  # the pool's slots ahead
  _ZNK8twinscan5model15RelationIdTexts4makeE:6               # ends' ids, entries, texts
  # A search's far ends asked for ahead: the relations of a depth-first step, and the
  # vertices of a breadth-first reach (model::Graph::prefetch_vertex, two steps).
  _ZZN8twinscan5query17for_each_adjacentILNS0_7FarEndsE0ERKZNS0_7Matcher6expandE:7
  _ZN8twinscan5query7Matcher10reach_fromE:2    # a level's vertices
  _ZN8twinscan5query7Matcher12expand_reachE:2  # the vertices reached, bound in turn
)
symbols=$(nm "$binary")
status=0
for entry in "${functions[@]}"; do
  prefix=${entry%%:*}
  least=${entry##*:}
  symbol=$(awk -v p="$prefix" '!found && index($3, p) == 1 && $3 !~ /\.cold$/ {print $3; found = 1}' \
    <<<"$symbols")
  if [ -z "$symbol" ]; then
    echo "FAIL: no function $prefix in $binary (renamed or inlined? update this list)"
    status=1
    continue
  fi
  count=$(objdump -d --no-show-raw-insn --disassemble="$symbol" "$binary" | grep -c 'prefetch' || true)
  if [ "$count" -lt "$least" ]; then
    echo "FAIL: $symbol holds $count prefetch instruction(s), fewer than its $least" \
      "prefetching places: the compiler dropped some"
    status=1
  else
    echo "ok: $symbol holds $count prefetch instruction(s)"
  fi
done
exit $status
