// tutti_kernel_bench: every kernel on every backend compiled in. Rates: voice-samples per
// second (items) for the per-voice kernels, samples per second for sums and conversion, and
// bytes per second of output.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "bench/kernels/benchmarks.h"
#include "kernels/kernel_set.h"

int main(int argc, char** argv) {
  for (const std::string& backend : tutti::kernels::compiled_backends()) {
    std::fprintf(stderr, "compiled: %s\n", backend.c_str());
  }
  tutti::bench::register_oscillator_benchmarks();
  tutti::bench::register_biquad_benchmarks();
  tutti::bench::register_stereo_mix_benchmarks();
  tutti::bench::register_pcm_conversion_benchmarks();
  tutti::bench::register_sample_bounds_benchmarks();
  tutti::bench::register_signal_peak_benchmarks();
  tutti::bench::register_control_lanes_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
