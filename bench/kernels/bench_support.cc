#include "bench/kernels/bench_support.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>

namespace tutti::bench {

using kernels::kBlockFrames;
using kernels::kLaneCount;

std::vector<NamedKernels> backends_to_compare() {
  std::vector<NamedKernels> list;
  auto add = [&](const char* name, kernels::Backend backend, kernels::Arithmetic arithmetic) {
    if (const kernels::KernelSet* set = kernels::kernel_set(backend, arithmetic)) {
      list.push_back({name, set});
    }
  };
  add("scalar", kernels::Backend::scalar, kernels::Arithmetic::fastest);
  add("hwy", kernels::Backend::hwy, kernels::Arithmetic::fastest);
  add("hwy_portable", kernels::Backend::hwy, kernels::Arithmetic::portable);
  add("xsimd", kernels::Backend::xsimd, kernels::Arithmetic::fastest);
  add("xsimd_portable", kernels::Backend::xsimd, kernels::Arithmetic::portable);
  return list;
}

SyntheticBank make_bank(int voices, std::uint32_t points_per_voice, bool bits24,
                        std::uint32_t seed) {
  // SF2 puts 46 zero points after every sample; they also cover the kernels' guard reads.
  constexpr std::uint32_t kGap = 46;
  SyntheticBank bank;
  const std::size_t total = static_cast<std::size_t>(voices) * (points_per_voice + kGap) + kGap;
  bank.words.assign(total, 0);
  if (bits24) bank.low_bytes.assign(total, 0);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> noise(-2000, 2000);
  std::uniform_int_distribution<int> low(0, 255);
  std::uint32_t at = kGap;
  for (int v = 0; v < voices; ++v) {
    const double period = 50.0 + 7.0 * v;
    for (std::uint32_t p = 0; p < points_per_voice; ++p) {
      const double tone = 20000.0 * std::sin(2.0 * std::numbers::pi * p / period);
      bank.words[at + p] = static_cast<std::int16_t>(tone + noise(random));
      if (bits24) bank.low_bytes[at + p] = static_cast<std::uint8_t>(low(random));
    }
    kernels::PlaybackRegion region;
    region.start = at;
    region.end = at + points_per_voice - 1;
    region.loop_start = at + points_per_voice / 8;
    region.loop_end = at + points_per_voice - 8;
    bank.regions.push_back(region);
    at += points_per_voice + kGap;
  }
  return bank;
}

LaneBlocks::LaneBlocks(const SyntheticBank& bank, double mean_ratio, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> spread(0.8, 1.25);
  std::uniform_real_distribution<double> gain(0.01, 0.2);
  for (int lane = 0; lane < kLaneCount; ++lane) {
    regions_[lane] = bank.regions[static_cast<std::size_t>(lane) % bank.regions.size()];
    kernels::OscillatorBlock& block = blocks_[lane];
    const double ratio = mean_ratio * spread(random);
    block.increment = static_cast<kernels::Phase>(ratio * 4294967296.0);
    block.phase = kernels::phase_from_index(regions_[lane].start);
    block.gain = static_cast<float>(gain(random));
    block.gain_step = block.gain * 1e-4f;
    block.frames = kBlockFrames;
    block.looping = true;
    block.has_looped = false;
    lanes_.block[lane] = &blocks_[lane];
    lanes_.region[lane] = &regions_[lane];
  }
}

void LaneBlocks::advance() {
  for (int lane = 0; lane < kLaneCount; ++lane) {
    kernels::OscillatorBlock& block = blocks_[lane];
    const kernels::Phase next = block.phase + kBlockFrames * block.increment;
    const auto wrapped = kernels::wrap_phase(next, regions_[lane], true, false);
    block.phase = wrapped.phase;
    block.has_looped = block.has_looped || wrapped.wrapped;
  }
}

FilterFixture::FilterFixture(bool ramping, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> cutoff(0.05, 0.4);
  for (int lane = 0; lane < kLaneCount; ++lane) {
    // A resonant low-pass as the engine designs it (audio EQ cookbook, b0 == b2).
    auto design = [](double fraction_of_rate) {
      const double omega = 2.0 * std::numbers::pi * fraction_of_rate;
      const double alpha = std::sin(omega) / (2.0 * 2.0);
      const double a0_inverse = 1.0 / (1.0 + alpha);
      const double b1 = (1.0 - std::cos(omega)) * a0_inverse;
      return kernels::BiquadCoefficients{static_cast<float>(b1 * 0.5), static_cast<float>(b1),
                                         static_cast<float>(-2.0 * std::cos(omega) * a0_inverse),
                                         static_cast<float>((1.0 - alpha) * a0_inverse)};
    };
    kernels::FilterBlock& filter = filters[lane];
    filter.start = design(cutoff(random));
    if (ramping) {
      const kernels::BiquadCoefficients target = design(cutoff(random));
      filter.step = {(target.b02 - filter.start.b02) / kBlockFrames,
                     (target.b1 - filter.start.b1) / kBlockFrames,
                     (target.a1 - filter.start.a1) / kBlockFrames,
                     (target.a2 - filter.start.a2) / kBlockFrames};
      filter.ramp_frames = kBlockFrames;
      filter.compensate_history = lane % 2 == 0;
    }
    states[lane] = {};
    lanes.filter[lane] = &filters[lane];
    lanes.state[lane] = &states[lane];
    lanes.frames[lane] = kBlockFrames;
  }
}

void report_rates(benchmark::State& state, std::int64_t samples_per_iteration, std::int64_t bytes_per_sample) {
  const std::int64_t samples = static_cast<std::int64_t>(state.iterations()) * samples_per_iteration;
  state.SetItemsProcessed(samples);
  state.SetBytesProcessed(samples * bytes_per_sample);
  state.counters["voice_samples"] = benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
}

std::vector<float> random_signal(std::size_t count, float amplitude, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> value(-amplitude, amplitude);
  std::vector<float> signal(count);
  for (float& v : signal) v = value(random);
  return signal;
}

}  // namespace tutti::bench
