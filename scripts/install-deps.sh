#!/usr/bin/env bash
# Installs what duplex needs to build, test, fuzz and benchmark on Debian 12. Idempotent: when
# everything is present it only checks (a second or two) and installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# install-deps.sh [build|all]: `build` installs what building duplex needs (what `make run` needs);
# `all` (the default, what `make test` uses) adds the fuzzing toolchain and every test peer.
mode=${1:-all}
case $mode in build | all) ;; *) echo "usage: install-deps.sh [build|all]" >&2; exit 2 ;; esac

# Build: compiler, CMake, Ninja, OpenSSL 3 libcrypto, zlib, GoogleTest, Google Benchmark (the
# build tree configures tests and benchmarks), the system roots (the client's default trust), and
# Boost.Beast (the benchmarks' reference server).
packages=(
  cmake g++ ninja-build pkg-config libssl-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
  libboost-dev ca-certificates
)
# Tests: clang with libFuzzer; peers: python3-websockets, Chromium, node (ws, playwright-core from
# tests/package-lock.json); TLS peers: openssl, gnutls-bin, golang-go (a crypto/tls client), curl;
# tshark to decrypt captures with a key log; testssl.sh to scan the server.
if [[ $mode == all ]]; then
  packages+=(
    clang libclang-rt-14-dev
    python3 python3-websockets chromium
    openssl gnutls-bin golang-go curl tshark testssl.sh iproute2 util-linux
  )
  # Node.js may come from Debian (nodejs + npm) or from elsewhere with npm bundled: take what is there.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node packages of the interop tests, pinned by tests/package-lock.json.
if [[ $mode == all && -f tests/package-lock.json ]]; then
  if [[ ! -f tests/node_modules/.package-lock.json ||
        tests/package-lock.json -nt tests/node_modules/.package-lock.json ]]; then
    echo "install-deps: installing node packages for tests/"
    (cd tests && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
