#!/usr/bin/env bash
# run-ctest.sh BUILD_DIR [CTEST ARGS...]: runs CTest in BUILD_DIR, then says how many tests were
# skipped and which, so a skip is never mistaken for a pass. (With CI=true or
# DUPLEX_REQUIRE_PEERS=1 a missing peer fails instead of skipping: tests/skip.sh.)
set -uo pipefail
dir=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(cd "$dir" && ctest "$@") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# CTest lists them under "The following tests did not run:" as "  NN - name (Skipped)".
mapfile -t skipped < <(grep -E '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$log" | sed -E 's/^[[:space:]]*[0-9]+ - //; s/ \(Skipped\)$//')
if ((${#skipped[@]})); then
  echo "skipped: ${#skipped[@]} test(s) in $dir (each printed its reason above): ${skipped[*]}"
else
  echo "skipped: 0 tests in $dir"
fi
exit "$status"
