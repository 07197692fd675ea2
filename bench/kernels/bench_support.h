#pragma once
// Shared set-up for the kernel benchmarks: the backends to compare, synthetic sample data and
// lane inputs that look like a real render (every lane sounding, looping, pitch near the root),
// built once outside the timed loops with fixed seeds.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernel_set.h"

namespace benchmark {
class State;
}

namespace tutti::bench {

struct NamedKernels {
  std::string name;  // "scalar", "hwy", "hwy_portable", "xsimd", "xsimd_portable"
  const kernels::KernelSet* kernels;
};

// Every backend compiled in, in both arithmetic modes where they differ.
std::vector<NamedKernels> backends_to_compare();

// Sample data for `voices` voices, each with its own region of `points_per_voice` points (plus
// the guard points the kernels may read), optionally with sm24 low bytes.
struct SyntheticBank {
  std::vector<std::int16_t> words;
  std::vector<std::uint8_t> low_bytes;
  std::vector<kernels::PlaybackRegion> regions;
  kernels::SampleData data() const {
    return {words.data(), low_bytes.empty() ? nullptr : low_bytes.data()};
  }
};
SyntheticBank make_bank(int voices, std::uint32_t points_per_voice, bool bits24,
                        std::uint32_t seed);

// One block for kLaneCount voices that loop through their regions: `advance()` moves every
// lane to its next block (wrapping into the loop), as consecutive blocks of a render do.
class LaneBlocks {
 public:
  LaneBlocks(const SyntheticBank& bank, double mean_ratio, std::uint32_t seed);
  void advance();
  const kernels::OscillatorLanes& lanes() const { return lanes_; }
  const kernels::OscillatorBlock& block(int lane) const { return blocks_[lane]; }
  const kernels::PlaybackRegion& region(int lane) const { return regions_[lane]; }

 private:
  kernels::OscillatorBlock blocks_[kernels::kLaneCount];
  kernels::PlaybackRegion regions_[kernels::kLaneCount];
  kernels::OscillatorLanes lanes_;
};

// Filter blocks for every lane: a settled low-pass, or one whose cutoff moves this block.
struct FilterFixture {
  kernels::FilterBlock filters[kernels::kLaneCount];
  kernels::BiquadState states[kernels::kLaneCount];
  kernels::FilterLanes lanes;
  FilterFixture(bool ramping, std::uint32_t seed);
};

// The rates every kernel benchmark reports, per second: `voice_samples` (one voice's sample
// through the kernel; for span kernels, one sample of the span), also as Google Benchmark's
// items, and bytes, the kernel's own output (`bytes_per_sample` each).
void report_rates(benchmark::State& state, std::int64_t samples_per_iteration, std::int64_t bytes_per_sample);

std::vector<float> random_signal(std::size_t count, float amplitude, std::uint32_t seed);

}  // namespace tutti::bench
