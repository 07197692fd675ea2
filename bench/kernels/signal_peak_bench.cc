// The signal peak and finiteness check each rendered window passes, scalar twin against
// Highway's dispatched target, one window of stereo audio at a time. No xsimd variant: the
// answer is exact, so the graph always takes Highway's.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"
#include "kernels/signal_peak.h"

namespace tutti::bench {

namespace {

constexpr std::size_t kSamples = 2 * 4096;

void signal_peak(benchmark::State& state, kernels::SignalPeakFn scan) {
  const std::vector<float> source = random_signal(kSamples, 0.9f, 11);
  for (auto _ : state) benchmark::DoNotOptimize(scan(source.data(), kSamples));
  report_rates(state, kSamples, sizeof(float));
}

}  // namespace

void register_signal_peak_benchmarks() {
  benchmark::RegisterBenchmark("signal_peak/scalar", signal_peak, &kernels::scalar::signal_peak);
  benchmark::RegisterBenchmark("signal_peak/hwy", signal_peak, kernels::dispatched_signal_peak());
}

}  // namespace tutti::bench
