#!/usr/bin/env bash
# `make bench`: every benchmark, figures only (nothing here passes or fails on a number).
#   1. the Google Benchmark programs (BUILD_DIR/bench/*_bench), hot paths in isolation;
#   2. bench/run_echo.sh: echo throughput and latency, duplex vs Boost.Beast in the same run;
#   3. bench/run_tls.sh: the cost of TLS, duplex over wss:// vs ws:// in the same run;
#   4. bench/run_memory.sh: server memory per idle connection, duplex vs Beast.
# Builds nothing (the Makefile builds first).
#
#   bench/run_all.sh [BUILD_DIR]           default BUILD_DIR: build
set -uo pipefail

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
status=0

echo "## Hot paths (Google Benchmark)"
echo
found=0
for program in "$build"/bench/*_bench; do
  [[ -x $program ]] || continue
  found=1
  echo "### $(basename "$program")"
  echo '```'
  taskset -c "${SERVER_CPU:-0}" "$program" --benchmark_min_time=0.2 2>&1 || status=1
  echo '```'
  echo
done
(( found )) || echo "(no Google Benchmark programs in $build/bench: libbenchmark-dev missing?)"
echo

echo "## WebSocket echo, messages per second (duplex vs Boost.Beast, same run)"
echo
bash "$here/run_echo.sh" "$build" || status=1
echo

echo "## The cost of TLS: wss:// vs ws://, messages per second (duplex, same run)"
echo
bash "$here/run_tls.sh" "$build" || status=1
echo

echo "## Memory per idle connection"
echo
bash "$here/run_memory.sh" "$build" || status=1
exit $status
