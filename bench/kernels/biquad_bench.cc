// The biquad: the lane kernel of every backend (one voice per lane) against the per-voice
// scalar twin, whose recurrence runs along time and cannot be vectorized there. Settled
// filters, and filters whose cutoff moves (coefficient ramp and memory rescaling) this block.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"

namespace tutti::bench {

namespace {

using kernels::kBlockFrames;
using kernels::kLaneCount;

void count(benchmark::State& state) { report_rates(state, kLaneCount * kBlockFrames, sizeof(float)); }

void lane_biquad(benchmark::State& state, const kernels::KernelSet* set, bool ramping) {
  FilterFixture fixture(ramping, 3);
  const std::vector<float> input = random_signal(kernels::kLaneBlockSamples, 0.5f, 4);
  kernels::LaneBlockBuffer out;
  // Set up once, as the window renderer keeps a group's setup from block to block.
  kernels::FilterLaneSetup setup;
  kernels::prepare_filter_lanes(fixture.lanes, setup);
  for (auto _ : state) {
    set->apply_biquad_lanes(setup, input.data(), out.samples);
    benchmark::DoNotOptimize(out.samples);
  }
  count(state);
}

void voice_by_voice_biquad(benchmark::State& state, bool ramping) {
  FilterFixture fixture(ramping, 3);
  const std::vector<float> input = random_signal(kernels::kLaneBlockSamples, 0.5f, 4);
  float samples[kLaneCount][kBlockFrames];
  for (auto _ : state) {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      std::copy(input.begin() + lane * kBlockFrames, input.begin() + (lane + 1) * kBlockFrames,
                samples[lane]);
      kernels::scalar::apply_biquad(fixture.filters[lane], fixture.states[lane], samples[lane],
                                    kBlockFrames);
    }
    benchmark::DoNotOptimize(samples);
  }
  count(state);
}

}  // namespace

void register_biquad_benchmarks() {
  for (const NamedKernels& backend : backends_to_compare()) {
    for (bool ramping : {false, true}) {
      const std::string name = std::string("biquad_lanes/") + backend.name +
                               (ramping ? "/ramp" : "/settled");
      benchmark::RegisterBenchmark(name.c_str(), lane_biquad, backend.kernels, ramping);
    }
  }
  for (bool ramping : {false, true}) {
    const std::string name =
        std::string("biquad_voice_by_voice/scalar") + (ramping ? "/ramp" : "/settled");
    benchmark::RegisterBenchmark(name.c_str(), voice_by_voice_biquad, ramping);
  }
}

}  // namespace tutti::bench
