# The user's entry points. Each target does its own set-up (dependencies, configure, build)
# so that `make demo` and `make test` work on a fresh Debian machine.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
BANK ?= /usr/share/sounds/sf2/FluidR3_GM.sf2
CORPUS_DIR ?= .cache/corpus/debian
DEMO_OUT ?= out/demo
CTEST_ARGS ?=

.PHONY: all deps configure build test demo bench clean

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

bench: build
	$(BUILD_DIR)/bench/tutti_kernel_bench

clean:
	rm -rf $(BUILD_DIR)
