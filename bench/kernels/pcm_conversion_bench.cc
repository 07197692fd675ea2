// Float to 16- and 24-bit PCM on every backend, one window of stereo audio at a time.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"

namespace tutti::bench {

namespace {

constexpr std::size_t kSamples = 2 * 16384;

void to_pcm16(benchmark::State& state, const kernels::KernelSet* set) {
  const std::vector<float> source = random_signal(kSamples, 1.05f, 7);
  std::vector<std::int16_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(set->to_pcm16(source.data(), kSamples, out.data()));
    benchmark::DoNotOptimize(out.data());
  }
  report_rates(state, kSamples, sizeof(std::int16_t));
}

void to_pcm24(benchmark::State& state, const kernels::KernelSet* set) {
  const std::vector<float> source = random_signal(kSamples, 1.05f, 7);
  std::vector<std::int32_t> out(kSamples);
  for (auto _ : state) {
    benchmark::DoNotOptimize(set->to_pcm24(source.data(), kSamples, out.data()));
    benchmark::DoNotOptimize(out.data());
  }
  report_rates(state, kSamples, sizeof(std::int32_t));
}

}  // namespace

void register_pcm_conversion_benchmarks() {
  for (const NamedKernels& backend : backends_to_compare()) {
    benchmark::RegisterBenchmark((std::string("to_pcm16/") + backend.name).c_str(), to_pcm16,
                                 backend.kernels);
    benchmark::RegisterBenchmark((std::string("to_pcm24/") + backend.name).c_str(), to_pcm24,
                                 backend.kernels);
  }
}

}  // namespace tutti::bench
