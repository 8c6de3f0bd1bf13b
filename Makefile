# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8443
FUZZ_SECONDS ?= 30
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDUPLEX_WERROR=ON
CTEST_FLAGS ?= --output-on-failure --timeout 300 -j$(JOBS)

SOAK_SECONDS ?= 120

.PHONY: all deps build run test test-plain test-asan test-tsan bench fuzz soak clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

# Starts the server on its embedded default: HTTPS and wss:// on 127.0.0.1:8443 with the development
# certificate (made on first run; the server prints how to trust its CA).
# Builds only the command line, so a first run does not wait for the tests to compile.
run:
	@bash scripts/install-deps.sh build
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS) --target duplex
	./$(BUILD)/duplex serve --listen $(LISTEN)

# The whole suite, the runtime's tests under TSan, then the whole suite again under ASan+UBSan.
test: test-plain test-tsan test-asan

test-plain: build
	bash scripts/run-ctest.sh $(BUILD) $(CTEST_FLAGS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) -DDUPLEX_SANITIZE=address -DDUPLEX_BUILD_BENCH=OFF >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash scripts/run-ctest.sh $(ASAN_BUILD) $(CTEST_FLAGS)

test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) $(CMAKE_FLAGS) -DDUPLEX_SANITIZE=thread -DDUPLEX_BUILD_BENCH=OFF >/dev/null
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target net_tests
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 ./tests/net_tests

bench: build
	bash bench/run_all.sh $(BUILD)

# The soak test under faults for minutes, ws:// then wss:// (make test runs a short version).
soak: build
	/usr/bin/python3 tests/soak/soak.py $(BUILD)/duplex --scheme ws --seconds $(SOAK_SECONDS)
	/usr/bin/python3 tests/soak/soak.py $(BUILD)/duplex --scheme wss --seconds $(SOAK_SECONDS)

# Each libFuzzer target for a bounded time (FUZZ_SECONDS), starting from its seed corpus.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_FLAGS) -DCMAKE_CXX_COMPILER=clang++ -DDUPLEX_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	bash scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
