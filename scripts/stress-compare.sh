#!/usr/bin/env bash
# Reliability check: three `tl compare --quick` processes (vision and text) started at once, each with its own
# output folder and one shared (initially empty) feature cache, must all finish and print the
# same table as a single run with a cache of its own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
"$root/tl" --help >/dev/null   # build once, before the processes race
"$root/tl" compare --quick --cache "$work/single-cache" -o "$work/single" >/dev/null 2>&1
for i in 1 2 3; do
  "$root/tl" compare --quick --cache "$work/shared-cache" -o "$work/run$i" >/dev/null 2>&1 &
done
wait
metrics() { cut -d'|' -f3-7 "$1/comparison.md"; }
for i in 1 2 3; do
  if ! diff <(metrics "$work/single") <(metrics "$work/run$i") >/dev/null; then
    echo "FAIL: run $i's table differs from the single run's ($work)" >&2
    exit 1
  fi
done
if ls "$work/shared-cache"/*.tmp >/dev/null 2>&1; then
  echo "FAIL: temporary files left in the shared cache ($work/shared-cache)" >&2
  exit 1
fi
echo "OK: three concurrent runs with a shared cache match the single run ($work)"
