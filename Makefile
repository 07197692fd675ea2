# The user's entry points. Each target does its own set-up (dependencies, configure, build)
# so that `make demo` and `make test` work on a fresh Debian machine.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
BANK ?= /usr/share/sounds/sf2/FluidR3_GM.sf2
CORPUS_DIR ?= .cache/corpus/debian
DEMO_OUT ?= out/demo
CTEST_ARGS ?=
# The sanitizer and fuzzing builds keep their own folders (see cmake/TuttiSanitizers.cmake).
ASAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 180
FUZZ_SMOKE_SECONDS ?= 20

.PHONY: all deps configure build test demo bench clean test-sanitize fuzz fuzz-smoke

all: build

deps:
	scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The default test run: unit tests and the FluidSynth parity checks; `heavy` stays out.
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -LE heavy $(CTEST_ARGS)

# Renders the Debian General MIDI corpus with FluidR3_GM and prints a summary.
demo: build
	datasets/corpus/debian-midi.sh $(CORPUS_DIR)
	$(BUILD_DIR)/tools/tutti render -s $(BANK) -o $(DEMO_OUT) $(CORPUS_DIR)

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer (any report fails the
# test), without the FluidSynth parity checks and `heavy`. Lean for CI: -O1 with line tables only,
# no benchmarks, and no AVX3 kernels (not run on machines without AVX-512; `make test` covers them).
$(ASAN_BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DTUTTI_SANITIZE=address,undefined -DTUTTI_BUILD_BENCH=OFF -DTUTTI_HWY_DISABLED_TARGETS=HWY_AVX3

test-sanitize: deps $(ASAN_BUILD_DIR)/CMakeCache.txt
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	cd $(ASAN_BUILD_DIR) && \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -LE 'parity|heavy' $(CTEST_ARGS)

# libFuzzer targets (tests/fuzz) built with clang in $(FUZZ_BUILD_DIR), each run FUZZ_SECONDS;
# the corpus grows across runs. fuzz-smoke is the short run CI does.
fuzz:
	scripts/install-deps --fuzz
	FUZZ_BUILD_DIR=$(FUZZ_BUILD_DIR) FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) tests/fuzz/run-fuzzers

fuzz-smoke:
	scripts/install-deps --fuzz
	FUZZ_BUILD_DIR=$(FUZZ_BUILD_DIR) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) JOBS=$(JOBS) tests/fuzz/run-fuzzers

# Kernel benchmarks (every kernel on every backend), then the end-to-end run: the OpenTTD files
# through tutti --threads 1 and the fluidsynth CLI, alternating (scripts/throughput-bench), then
# the peak memory of one long batch into a single HDF5 shard (scripts/batch-memory-bench).
# BENCH_ARGS reach the script (e.g. --json); BENCH_KERNEL_ARGS the kernel benchmarks.
bench: build
	$(BUILD_DIR)/bench/tutti_kernel_bench $(BENCH_KERNEL_ARGS)
	datasets/corpus/debian-midi.sh $(CORPUS_DIR)
	scripts/throughput-bench --tutti $(BUILD_DIR)/tools/tutti --bank $(BANK) --corpus $(CORPUS_DIR) $(BENCH_ARGS)
	scripts/batch-memory-bench --tutti $(BUILD_DIR)/tools/tutti --bank $(BANK)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
