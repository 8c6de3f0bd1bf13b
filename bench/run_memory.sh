#!/usr/bin/env bash
# Memory per idle WebSocket connection: `duplex bench --idle-memory` opens N connections that
# complete the handshake and then send nothing, and reads the server's VmRSS before and after.
# Runs `duplex serve` and the Boost.Beast reference one after the other. Builds nothing.
#
#   bench/run_memory.sh [BUILD_DIR]        default BUILD_DIR: build
#
# Environment: CONNECTIONS (default 10000), SETTLE (s, default 2), SERVER_CPU (0), CLIENT_CPU (1),
# DUPLEX_PORT (9411), BEAST_PORT (9412).
# VmRSS counts the server's own memory (heap, stacks); the kernel's socket buffers are not in it.
set -euo pipefail

build=${1:-build}
duplex=$build/duplex
beast=$build/bench/beast_echo_server
connections=${CONNECTIONS:-10000}
settle=${SETTLE:-2}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
duplex_port=${DUPLEX_PORT:-9411}
beast_port=${BEAST_PORT:-9412}

if [[ ! -x $duplex ]]; then
  echo "run_memory.sh: $duplex not found (build the duplex target first); it is the load generator" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"  # one descriptor per connection on each side

logs=$(mktemp -d)
server_pid=""
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$logs"' EXIT

# start_server NAME COMMAND...: starts it pinned to SERVER_CPU, waits for "listening on".
start_server() {
  local name=$1; shift
  taskset -c "$server_cpu" "$@" >"$logs/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    if grep -q "listening on" "$logs/$name.log"; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "run_memory.sh: $name did not start:" >&2
  sed 's/^/  /' "$logs/$name.log" >&2
  stop_server
  return 1
}

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<" $2"; }

# measure NAME PORT: one table row.
measure() {
  local name=$1 port=$2 line
  line=$(taskset -c "$client_cpu" "$duplex" bench --idle-memory "ws://127.0.0.1:$port/echo" \
           --connections "$connections" --server-pid "$server_pid" --settle "$settle") || true
  echo "$name: $line" >&2
  if [[ -z $line ]]; then
    echo "| $name | – | – | – | – |"
    return
  fi
  local before after per
  before=$(field rss_before_kib "$line"); after=$(field rss_after_kib "$line")
  per=$(field bytes_per_connection "$line")
  echo "| $name | $(field open "$line") | $before | $after | $per |"
}

echo "| server | idle connections | RSS before (KiB) | RSS after (KiB) | bytes per connection |"
echo "|---|---:|---:|---:|---:|"
if start_server duplex "$duplex" serve --plain --listen "127.0.0.1:$duplex_port" --threads 1; then
  measure duplex "$duplex_port"
  stop_server
else
  echo "| duplex | – | – | – | – |"
fi
if [[ -x $beast ]] && start_server beast "$beast" "$beast_port" 1; then
  measure "Boost.Beast" "$beast_port"
  stop_server
else
  echo "| Boost.Beast | – | – | – | – |"
fi
