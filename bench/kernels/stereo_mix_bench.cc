// Pan mixing (16 voices' blocks into one stereo bus, as a mix group does: voice by voice, and
// all in one lane call) and the span sums of the reduction, on every backend.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"

namespace tutti::bench {

namespace {

using kernels::kBlockFrames;
using kernels::kLaneCount;

void pan_mix(benchmark::State& state, const kernels::KernelSet* set) {
  const std::vector<float> voices = random_signal(kernels::kLaneBlockSamples, 0.5f, 5);
  std::vector<float> left(kBlockFrames), right(kBlockFrames);
  kernels::PanBlock pans[kLaneCount];
  for (int v = 0; v < kLaneCount; ++v) pans[v] = {0.7f, 0.69f, 0.7f, 0.71f};
  for (auto _ : state) {
    for (int v = 0; v < kLaneCount; ++v) {
      set->pan_mix(pans[v], voices.data() + v * kBlockFrames, kBlockFrames, left.data(), right.data());
    }
    benchmark::DoNotOptimize(left.data());
    benchmark::DoNotOptimize(right.data());
  }
  // Each voice-sample adds to a left and a right sample.
  report_rates(state, kLaneCount * kBlockFrames, 2 * sizeof(float));
}

// The same 16 voices in one call, as render_block mixes a group's block; pans moving (a gain ramp
// over the block) or held (the case of nearly every block of a render).
void pan_mix_lanes(benchmark::State& state, const kernels::KernelSet* set, bool held) {
  const std::vector<float> voices = random_signal(kernels::kLaneBlockSamples, 0.5f, 5);
  std::vector<float> left(kBlockFrames), right(kBlockFrames);
  kernels::PanBlock pans[kLaneCount];
  const kernels::PanBlock* pan_pointers[kLaneCount];
  const float* rows[kLaneCount];
  int frames[kLaneCount];
  for (int v = 0; v < kLaneCount; ++v) {
    pans[v] = held ? kernels::PanBlock{0.7f, 0.7f, 0.69f, 0.69f} : kernels::PanBlock{0.7f, 0.69f, 0.7f, 0.71f};
    pan_pointers[v] = &pans[v];
    rows[v] = voices.data() + v * kBlockFrames;
    frames[v] = kBlockFrames;
  }
  for (auto _ : state) {
    set->pan_mix_lanes(pan_pointers, rows, frames, kLaneCount, left.data(), right.data());
    benchmark::DoNotOptimize(left.data());
    benchmark::DoNotOptimize(right.data());
  }
  report_rates(state, kLaneCount * kBlockFrames, 2 * sizeof(float));
}

void accumulate(benchmark::State& state, const kernels::KernelSet* set) {
  constexpr int kFrames = 16384;  // one window
  const std::vector<float> source = random_signal(kFrames, 0.5f, 6);
  std::vector<float> destination(kFrames);
  for (auto _ : state) {
    set->accumulate(source.data(), kFrames, destination.data());
    benchmark::DoNotOptimize(destination.data());
  }
  report_rates(state, kFrames, sizeof(float));
}

}  // namespace

void register_stereo_mix_benchmarks() {
  for (const NamedKernels& backend : backends_to_compare()) {
    benchmark::RegisterBenchmark((std::string("pan_mix/") + backend.name).c_str(), pan_mix,
                                 backend.kernels);
    benchmark::RegisterBenchmark((std::string("pan_mix_lanes/") + backend.name).c_str(), pan_mix_lanes,
                                 backend.kernels, false);
    benchmark::RegisterBenchmark((std::string("pan_mix_lanes_held/") + backend.name).c_str(), pan_mix_lanes,
                                 backend.kernels, true);
    benchmark::RegisterBenchmark((std::string("accumulate/") + backend.name).c_str(), accumulate,
                                 backend.kernels);
  }
}

}  // namespace tutti::bench
