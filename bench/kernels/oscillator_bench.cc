// The oscillator: the lane kernel of every backend, and the per-voice scalar twin rendering
// the same voices one after another, on sample data that fits the cache and on data as large
// as a real bank (streamed through block after block, with the renderer's prefetching).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"
#include "kernels/oscillator_lane_setup.h"

namespace tutti::bench {

namespace {

using kernels::Interpolation;
using kernels::kBlockFrames;
using kernels::kLaneCount;

struct Footprint {
  const char* name;
  std::uint32_t points_per_voice;
  std::uint32_t loop_points = 0;  // loops this long at the regions' ends; 0 keeps make_bank's
};
// 16 voices of 4096 points (128 KiB) stay in L2; 16 of 4 Mi points (128 MiB, like
// FluidR3_GM) come from memory. Loops of a few hundred points, common in real banks, wrap
// inside every few blocks.
constexpr Footprint kCache{"cache", 4096};
constexpr Footprint kBank{"bank", 4u << 20};
constexpr Footprint kShortLoops{"cache_short_loops", 4096, 300};

SyntheticBank bank_for(Footprint footprint, bool bits24) {
  SyntheticBank bank = make_bank(kLaneCount, footprint.points_per_voice, bits24, 1);
  if (footprint.loop_points != 0) {
    for (kernels::PlaybackRegion& region : bank.regions) region.loop_start = region.loop_end - footprint.loop_points;
  }
  return bank;
}

const char* mode_name(Interpolation mode) {
  switch (mode) {
    case Interpolation::none: return "none";
    case Interpolation::linear: return "linear";
    case Interpolation::cubic: return "cubic";
  }
  return "?";
}

void count(benchmark::State& state) { report_rates(state, kLaneCount * kBlockFrames, sizeof(float)); }

void lane_oscillator(benchmark::State& state, const kernels::KernelSet* set, Interpolation mode,
                     Footprint footprint, bool bits24) {
  const SyntheticBank bank = bank_for(footprint, bits24);
  LaneBlocks blocks(bank, 1.0, 2);
  LaneBlocks ahead(bank, 1.0, 2);
  ahead.advance();
  kernels::LaneBlockBuffer out;
  for (auto _ : state) {
    kernels::prefetch_oscillator_lanes(bank.data(), mode, ahead.lanes());
    set->render_oscillator_lanes(bank.data(), mode, blocks.lanes(), out.samples);
    benchmark::DoNotOptimize(out.samples);
    blocks.advance();
    ahead.advance();
  }
  count(state);
}

void voice_by_voice_oscillator(benchmark::State& state, Interpolation mode, Footprint footprint) {
  const SyntheticBank bank = make_bank(kLaneCount, footprint.points_per_voice, false, 1);
  LaneBlocks blocks(bank, 1.0, 2);
  float out[kLaneCount][kBlockFrames];
  for (auto _ : state) {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      kernels::scalar::render_oscillator(bank.data(), blocks.region(lane), mode, blocks.block(lane),
                                         out[lane]);
    }
    benchmark::DoNotOptimize(out);
    blocks.advance();
  }
  count(state);
}

}  // namespace

void register_oscillator_benchmarks() {
  for (const NamedKernels& backend : backends_to_compare()) {
    for (Interpolation mode : {Interpolation::cubic, Interpolation::linear, Interpolation::none}) {
      for (Footprint footprint : {kCache, kBank, kShortLoops}) {
        const std::string name = std::string("oscillator_lanes/") + backend.name + "/" +
                                 mode_name(mode) + "/" + footprint.name;
        benchmark::RegisterBenchmark(name.c_str(), lane_oscillator, backend.kernels, mode,
                                     footprint, false);
      }
    }
    const std::string name = std::string("oscillator_lanes/") + backend.name + "/cubic24/cache";
    benchmark::RegisterBenchmark(name.c_str(), lane_oscillator, backend.kernels,
                                 Interpolation::cubic, kCache, true);
  }
  for (Footprint footprint : {kCache, kBank}) {
    const std::string name = std::string("oscillator_voice_by_voice/scalar/cubic/") + footprint.name;
    benchmark::RegisterBenchmark(name.c_str(), voice_by_voice_oscillator, Interpolation::cubic,
                                 footprint);
  }
}

}  // namespace tutti::bench
