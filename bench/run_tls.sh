#!/usr/bin/env bash
# The cost of TLS: `duplex serve` over wss:// (our TLS 1.3) and over ws:// (--plain), measured by
# the same load generator (`duplex bench`) in the same run. Prints a markdown table; wss/ws is the
# figure to read (absolute numbers drift 20-40% on shared machines). Builds nothing.
#
#   bench/run_tls.sh [BUILD_DIR]           default BUILD_DIR: build
#
# At depth 1 every message is one round trip (send, then wait for its echo), so msg/s there is
# round trips per second; at depth 16 it is the pipelined message rate. "open/s" is connections
# opened per second (TCP, then the TLS 1.3 handshake for wss://, then the WebSocket upgrade), from
# the first connect to the last 101, at most 64 handshakes in flight.
#
# The certificate is made for the run with `openssl req -x509` (ECDSA P-256) in a temporary
# directory; the generator trusts it by its SPKI pin (--pin-sha256).
#
# Environment: WARMUP (s, default 2), SECONDS_PER (s, default 4), SERVER_CPU (0), CLIENT_CPU (1),
# GRID ("CONNS:SIZE:DEPTH ..." to run other cases).
set -euo pipefail

build=${1:-build}
duplex=$build/duplex
warmup=${WARMUP:-2}
seconds=${SECONDS_PER:-4}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
grid=${GRID:-"1:32:1 100:32:1 1000:32:1 100:4096:1 1000:4096:1 1:32:16 100:32:16 1000:32:16"}

if [[ ! -x $duplex ]]; then
  echo "run_tls.sh: $duplex not found (build the duplex target first)" >&2
  exit 1
fi
if ! command -v openssl >/dev/null; then
  echo "run_tls.sh: openssl not found: it makes the run's certificate" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"  # 1000 connections per run, plus the servers' own

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The run's certificate, ECDSA P-256, for 127.0.0.1 and localhost; its SPKI SHA-256 is the pin.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.log"
pin=$(openssl x509 -in "$work/cert.pem" -pubkey -noout | openssl pkey -pubin -outform DER |
  openssl dgst -sha256 -binary | base64)

# start_server NAME ARGS...: `duplex serve ARGS` pinned to SERVER_CPU on a free port; waits for
# "listening on" and sets port from it.
start_server() {
  local name=$1; shift
  XDG_DATA_HOME=$work taskset -c "$server_cpu" "$duplex" serve --listen 127.0.0.1:0 --threads 1 "$@" \
    >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on [a-z]*:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/$name.log" | head -1)
    if [[ -n $port ]]; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "run_tls.sh: duplex serve ($name) did not start:" >&2
  sed 's/^/  /' "$work/$name.log" >&2
  return 1
}

ws_port="" wss_port=""
if start_server plain --plain; then ws_port=$port; fi
if start_server tls --cert "$work/cert.pem" --key "$work/key.pem"; then wss_port=$port; fi

# measure URL CONNS SIZE DEPTH [TRUST...]: the generator's summary line, or nothing if it failed.
measure() {
  local url=$1 conns=$2 size=$3 depth=$4; shift 4
  taskset -c "$client_cpu" "$duplex" bench "$url" --connections "$conns" --size "$size" --depth "$depth" \
    --warmup "$warmup" --seconds "$seconds" "$@" 2>>"$work/bench.log" || true
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }
human_size() { if (( $1 >= 1024 && $1 % 1024 == 0 )); then echo "$(( $1 / 1024 )) KiB"; else echo "$1 B"; fi; }
ratio() { [[ -n $1 && -n $2 && $2 != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "–"; }
latency() { [[ -n $1 ]] && echo "$(field p50_us "$1") / $(field p99_us "$1")" || echo "–"; }
errors() { local e; e=$(field errors "$1"); [[ -n $e && $e != 0 ]] && echo " ($e errors)" || true; }

echo "| connections × size, depth | ws:// msg/s | wss:// msg/s | wss/ws | ws:// p50 / p99 µs | wss:// p50 / p99 µs | ws:// open/s | wss:// open/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for case in $grid; do
  IFS=: read -r conns size depth <<<"$case"
  p="" t=""
  [[ -n $ws_port ]] && p=$(measure "ws://127.0.0.1:$ws_port/echo" "$conns" "$size" "$depth")
  [[ -n $wss_port ]] && t=$(measure "wss://127.0.0.1:$wss_port/echo" "$conns" "$size" "$depth" --pin-sha256 "$pin")
  [[ -n $p ]] && echo "ws:  $p" >&2
  [[ -n $t ]] && echo "wss: $t" >&2
  for line in "$p" "$t"; do
    cpu=$(field client_cpu_pct "$line")
    if [[ -n $cpu ]] && (( cpu >= 90 )); then
      echo "run_tls.sh: the generator used ${cpu}% of its core on $case: it may be the limit there" >&2
    fi
  done
  p_rate=$(field msgs_per_sec "$p"); t_rate=$(field msgs_per_sec "$t")
  echo "| $conns × $(human_size "$size"), depth $depth | ${p_rate:-–}$(errors "$p") | ${t_rate:-–}$(errors "$t")" \
       "| $(ratio "$t_rate" "$p_rate") | $(latency "$p") | $(latency "$t")" \
       "| $(field opens_per_sec "$p") | $(field opens_per_sec "$t") |"
done

if grep -qv "connections open in" "$work/bench.log" 2>/dev/null; then
  echo >&2
  echo "generator messages:" >&2
  grep -v "connections open in" "$work/bench.log" | sort | uniq -c | sed 's/^/  /' >&2
fi
