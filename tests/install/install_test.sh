#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR [shared]: `cmake --install` into a temporary prefix, then
# build examples/echo_server.cpp as an outside project twice — with find_package(duplex) and with
# `pkg-config --cflags --libs duplex` — and run each: the server on a free port, the installed
# `duplex connect` sends a line to /echo and must get it back.
# With `shared`, what is installed is a second, small tree configured from SOURCE_DIR with
# -DBUILD_SHARED_LIBS=ON (the libraries and the duplex tool only, unoptimised, -j2) in
# BUILD_DIR/install-test-shared; the programs must then load the installed .so files.
set -eu
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
shared=${3:-}
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

if [ "$shared" = shared ]; then
  generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$build/CMakeCache.txt")
  compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
  tree=$build/install-test-shared
  # Build type None: no optimisation flags (what Debian packaging uses); this tree only links.
  cmake -S "$source" -B "$tree" -G "$generator" -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_BUILD_TYPE=None \
    -DBUILD_SHARED_LIBS=ON -DDUPLEX_BUILD_TESTS=OFF -DDUPLEX_BUILD_FUZZ=OFF -DDUPLEX_BUILD_BENCH=OFF \
    >"$tmp/shared-cmake.out" 2>&1 || fail "configuring a shared build failed: $(cat "$tmp/shared-cmake.out")"
  nice -n 10 cmake --build "$tree" -j2 --target duplex >"$tmp/shared-build.out" 2>&1 ||
    fail "building the shared libraries failed: $(tail -n 30 "$tmp/shared-build.out")"
  build=$tree
fi

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
[ -x "$prefix/bin/duplex" ] || fail "no duplex tool in $prefix/bin"
config=$(find "$prefix" -name duplexConfig.cmake | head -n 1)
pc=$(find "$prefix" -name duplex.pc | head -n 1)
[ -n "$config" ] || fail "no duplexConfig.cmake under $prefix"
[ -n "$pc" ] || fail "no duplex.pc under $prefix"

libdir=$(dirname "$(dirname "$pc")")
if [ "$shared" = shared ]; then
  for layer in util crypto x509 tls http ws net; do
    [ -f "$libdir/libduplex_$layer.so.0.1.0" ] || fail "no libduplex_$layer.so.0.1.0 in $libdir"
    soname=$(readelf -d "$libdir/libduplex_$layer.so.0.1.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [ "$soname" = "libduplex_$layer.so.0.1" ] || fail "libduplex_$layer has the SONAME '$soname'"
    [ ! -e "$libdir/libduplex_$layer.a" ] || fail "a shared build installed libduplex_$layer.a"
  done
  grep -q '^Requires.private: libcrypto' "$pc" || fail "duplex.pc of a shared build: $(cat "$pc")"
fi
# A program built against the prefix: with shared libraries, it must need the installed ones.
check_links() {
  [ "$shared" = shared ] || return 0
  needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(libduplex_[a-z0-9_]*\.so\.0\.1\)\]/\1/p')
  [ -n "$needed" ] || fail "$1 needs no libduplex_*.so: $(readelf -d "$1")"
  for library in $needed; do
    resolved=$(ldd "$1" | sed -n "s|.*$library => \([^ ]*\).*|\1|p")
    [ -n "$resolved" ] && [ "$(realpath "$resolved")" = "$(realpath "$libdir/$library")" ] ||
      fail "$1 loads $library from '$resolved', not $libdir"
  done
}

# Starts BINARY on port 0, reads the port it prints, echoes a line through the installed tool.
check_echo() {
  binary=$1
  "$binary" 0 >"$tmp/server.out" 2>&1 &
  server_pid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/^echo server on port \([0-9]*\).*/\1/p' "$tmp/server.out")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "$binary exited: $(cat "$tmp/server.out")"
    sleep 0.1
  done
  [ -n "$port" ] || fail "$binary did not say its port in 10 s"
  got=$(echo "hello from an installed duplex" | timeout 10 "$prefix/bin/duplex" connect "ws://127.0.0.1:$port/echo") ||
    fail "duplex connect to $binary failed"
  [ "$got" = "hello from an installed duplex" ] || fail "$binary echoed '$got'"
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "$binary did not exit 0 on SIGTERM"
  server_pid=
}

# 1. find_package(duplex), as another CMake project does.
mkdir -p "$tmp/consumer"
cat >"$tmp/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(consumer CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(duplex 0.1 REQUIRED)
add_executable(echo_server $source/examples/echo_server.cpp)
target_link_libraries(echo_server PRIVATE duplex::net)
CMAKE
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.out" 2>&1 ||
  fail "configuring with find_package(duplex) failed: $(cat "$tmp/cmake.out")"
cmake --build "$tmp/consumer/build" >"$tmp/build.out" 2>&1 || fail "building against duplex::net failed: $(cat "$tmp/build.out")"
check_links "$tmp/consumer/build/echo_server"
check_links "$prefix/bin/duplex"
check_echo "$tmp/consumer/build/echo_server"
echo "ok   find_package(duplex)${shared:+ ($shared)}: built and echoed"

# 2. pkg-config, as a Makefile does.
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs duplex) || fail "pkg-config does not know duplex"
# A prefix outside the loader's path: the program records where the libraries are.
rpath=
[ "$shared" = shared ] && rpath=-Wl,-rpath,$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=libdir duplex)
c++ "$source/examples/echo_server.cpp" $flags $rpath -o "$tmp/echo_server_pc" 2>"$tmp/cc.out" ||
  fail "building with pkg-config's flags ($flags) failed: $(cat "$tmp/cc.out")"
check_links "$tmp/echo_server_pc"
check_echo "$tmp/echo_server_pc"
echo "ok   pkg-config duplex${shared:+ ($shared)}: built and echoed"
