#!/usr/bin/env bash
# WebSocket echo throughput: `duplex serve` and the Boost.Beast reference, measured by the same
# load generator (`duplex bench`) in the same run, over the grid of
# ../shared/benchmarks/ANCHORS.md. Prints a markdown table; the ratio duplex/Beast is the figure to
# read (absolute numbers drift 20-40% on shared machines). Builds nothing.
#
#   bench/run_echo.sh [BUILD_DIR]          default BUILD_DIR: build
#
# Environment: WARMUP (s, default 2), SECONDS_PER (s, default 4), SERVER_CPU (0), CLIENT_CPU (1),
# DUPLEX_PORT (9401), BEAST_PORT (9402), GRID ("CONNS:SIZE:DEPTH ..." to run other cases).
set -euo pipefail

build=${1:-build}
duplex=$build/duplex
beast=$build/bench/beast_echo_server
warmup=${WARMUP:-2}
seconds=${SECONDS_PER:-4}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
duplex_port=${DUPLEX_PORT:-9401}
beast_port=${BEAST_PORT:-9402}
grid=${GRID:-"1:32:1 100:32:1 100:4096:1 1000:32:1 1000:4096:1 100:32:16"}

if [[ ! -x $duplex ]]; then
  echo "run_echo.sh: $duplex not found (build the duplex target first); it is the load generator" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"  # 1000 connections per run, plus the servers' own

logs=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$logs"
}
trap cleanup EXIT

# start_server NAME COMMAND...: starts it pinned to SERVER_CPU, waits for "listening on".
# Sets server_pid.
start_server() {
  local name=$1; shift
  taskset -c "$server_cpu" "$@" >"$logs/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  server_pid=$pid
  for _ in $(seq 100); do
    if grep -q "listening on" "$logs/$name.log"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "run_echo.sh: $name did not start:" >&2
  sed 's/^/  /' "$logs/$name.log" >&2
  return 1
}

duplex_up=0
beast_up=0
if start_server duplex "$duplex" serve --plain --listen "127.0.0.1:$duplex_port" --threads 1; then
  duplex_up=1
fi
if [[ -x $beast ]] && start_server beast "$beast" "$beast_port" 1; then
  beast_up=1
elif [[ ! -x $beast ]]; then
  echo "run_echo.sh: $beast not built (needs libboost-dev): Beast column left empty" >&2
fi

# measure PORT CONNS SIZE DEPTH: the generator's summary line, or nothing if it failed.
measure() {
  local port=$1 conns=$2 size=$3 depth=$4
  taskset -c "$client_cpu" "$duplex" bench "ws://127.0.0.1:$port/echo" --connections "$conns" \
    --size "$size" --depth "$depth" --warmup "$warmup" --seconds "$seconds" 2>>"$logs/bench.log" || true
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

human_size() { if (( $1 >= 1024 && $1 % 1024 == 0 )); then echo "$(( $1 / 1024 )) KiB"; else echo "$1 B"; fi; }

echo "| connections × size, depth | duplex msg/s | Beast msg/s | duplex/Beast | duplex p50 / p99 µs | Beast p50 / p99 µs |"
echo "|---|---:|---:|---:|---:|---:|"
for case in $grid; do
  IFS=: read -r conns size depth <<<"$case"
  d="" b=""
  (( duplex_up )) && d=$(measure "$duplex_port" "$conns" "$size" "$depth")
  (( beast_up )) && b=$(measure "$beast_port" "$conns" "$size" "$depth")
  [[ -n $d ]] && echo "duplex: $d" >&2
  [[ -n $b ]] && echo "beast:  $b" >&2
  for line in "$d" "$b"; do
    cpu=$(field client_cpu_pct "$line")
    if [[ -n $cpu ]] && (( cpu >= 90 )); then
      echo "run_echo.sh: the generator used ${cpu}% of its core on $case: it may be the limit there" >&2
    fi
  done
  d_rate=$(field msgs_per_sec "$d"); b_rate=$(field msgs_per_sec "$b")
  ratio="–"
  if [[ -n $d_rate && -n $b_rate && $b_rate != 0 ]]; then
    ratio=$(awk -v d="$d_rate" -v b="$b_rate" 'BEGIN { printf "%.2f", d / b }')
  fi
  latency() { [[ -n $1 ]] && echo "$(field p50_us "$1") / $(field p99_us "$1")" || echo "–"; }
  errors() { local e; e=$(field errors "$1"); [[ -n $e && $e != 0 ]] && echo " ($e errors)" || true; }
  echo "| $conns × $(human_size "$size"), depth $depth | ${d_rate:-–}$(errors "$d") | ${b_rate:-–}$(errors "$b") | $ratio | $(latency "$d") | $(latency "$b") |"
done

if grep -qv "connections open in" "$logs/bench.log" 2>/dev/null; then
  echo >&2
  echo "generator messages:" >&2
  grep -v "connections open in" "$logs/bench.log" | sort | uniq -c | sed 's/^/  /' >&2
fi
