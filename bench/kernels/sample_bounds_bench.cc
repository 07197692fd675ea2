// Point bounds (a sample's peak and sharpest bend), scalar twin against Highway's dispatched
// target: the scan a voice's first look at its sample makes over the whole sample. There is no
// xsimd variant: the answer is exact integers, the same whichever backend renders the audio, so
// the engine always takes Highway's.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"
#include "kernels/sample_bounds.h"

namespace tutti::bench {

namespace {

constexpr std::size_t kPoints = 65536;

void point_bounds(benchmark::State& state, kernels::PointBoundsFn scan, bool low_bytes) {
  std::mt19937 random(9);
  std::vector<std::int16_t> words(kPoints + 2);
  std::vector<std::uint8_t> lows(kPoints + 2);
  for (auto& w : words) w = static_cast<std::int16_t>(static_cast<int>(random() % 65536) - 32768);
  for (auto& b : lows) b = static_cast<std::uint8_t>(random());
  for (auto _ : state) {
    benchmark::DoNotOptimize(scan(words.data() + 1, low_bytes ? lows.data() + 1 : nullptr, kPoints));
  }
  report_rates(state, kPoints, low_bytes ? 3 : 2);
}

}  // namespace

void register_sample_bounds_benchmarks() {
  for (const bool low_bytes : {false, true}) {
    const std::string width = low_bytes ? "24" : "16";
    benchmark::RegisterBenchmark(("point_bounds" + width + "/scalar").c_str(), point_bounds,
                                 &kernels::scalar::point_bounds, low_bytes);
    benchmark::RegisterBenchmark(("point_bounds" + width + "/hwy").c_str(), point_bounds,
                                 kernels::dispatched_point_bounds(), low_bytes);
  }
}

}  // namespace tutti::bench
