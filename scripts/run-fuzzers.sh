#!/usr/bin/env bash
# Runs every libFuzzer target of BUILD_DIR for SECONDS each, from a copy of its seed corpus.
# New inputs that crash are left in fuzz/artifacts/ (git-ignored); add them to fuzz/corpus/NAME/
# once fixed so the ordinary test suite keeps them fixed.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-30}
cd "$(dirname "$0")/.."
mkdir -p fuzz/artifacts
status=0
for target in "$build"/fuzz/fuzz_*; do
  [[ -x "$target" ]] || continue
  name=${target##*/fuzz_}
  work=$(mktemp -d)
  [[ -d fuzz/corpus/$name ]] && cp -r "fuzz/corpus/$name/." "$work/"
  echo "== fuzzing $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -artifact_prefix="fuzz/artifacts/$name-" \
        -print_final_stats=1 "$work" 2>"fuzz/artifacts/$name.log"; then
    echo "!! $name found a failure: see fuzz/artifacts/$name.log"
    tail -30 "fuzz/artifacts/$name.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "fuzz/artifacts/$name.log" | tail -2
  fi
  rm -rf "$work"
done
exit $status
