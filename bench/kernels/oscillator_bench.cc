// The oscillator: the lane kernel of every backend, and the per-voice scalar twin rendering
// the same voices one after another, on sample data that fits the cache and on data as large
// as a real bank (streamed through block after block, with the renderer's prefetching).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench/kernels/bench_support.h"
#include "bench/kernels/benchmarks.h"
#include "hwy/targets.h"
#include "kernels/hwy_backend.h"
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

void count(benchmark::State& state, int lanes = kLaneCount) {
  report_rates(state, lanes * kBlockFrames, sizeof(float));
}

// The lanes of `all` with only the first `sounding` active: a mix group of a real render has a
// few voices in its low lanes and the rest idle.
kernels::OscillatorLanes first_lanes(const kernels::OscillatorLanes& all, int sounding) {
  kernels::OscillatorLanes lanes = all;
  for (int lane = sounding; lane < kLaneCount; ++lane) lanes.block[lane] = nullptr;
  return lanes;
}

// Which lanes step exactly one point per frame (a sample at the output rate played at its root
// key, a quarter of the blocks of real songs); the others keep LaneBlocks' pitch ratios near 1.
// Wide: every lane steps between 1.5 and 2.5 points per frame (notes seven to sixteen semitones
// above their sample's pitch), the wide window path's steps on AVX-512.
enum class Steps { detuned, unit, mixed, wide };

const char* steps_suffix(Steps steps) {
  switch (steps) {
    case Steps::detuned: return "";
    case Steps::unit: return "_unit_steps";
    case Steps::mixed: return "_mixed_steps";
    case Steps::wide: return "_wide_steps";
  }
  return "?";
}

// LaneBlocks with the increments of the lanes `steps` chooses set to one point per frame, every
// lane moving on by its own increment from block to block.
class SteppedBlocks {
 public:
  SteppedBlocks(const SyntheticBank& bank, Steps steps, std::uint32_t seed) {
    const LaneBlocks source(bank, 1.0, seed);
    for (int lane = 0; lane < kLaneCount; ++lane) {
      blocks_[lane] = source.block(lane);
      regions_[lane] = source.region(lane);
      // Mixed: one lane in four, as in real songs.
      if (steps == Steps::unit || (steps == Steps::mixed && lane % 4 == 0)) blocks_[lane].increment = kernels::Phase{1} << 32;
      if (steps == Steps::wide) {
        blocks_[lane].increment = static_cast<kernels::Phase>((1.5 + lane / static_cast<double>(kLaneCount)) * 4294967296.0);
      }
      lanes_.block[lane] = &blocks_[lane];
      lanes_.region[lane] = &regions_[lane];
    }
  }
  void advance() {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      kernels::OscillatorBlock& block = blocks_[lane];
      const auto wrapped = kernels::wrap_phase(block.phase + kBlockFrames * block.increment, regions_[lane], true, false);
      block.phase = wrapped.phase;
      block.has_looped = block.has_looped || wrapped.wrapped;
    }
  }
  const kernels::OscillatorLanes& lanes() const { return lanes_; }

 private:
  kernels::OscillatorBlock blocks_[kLaneCount];
  kernels::PlaybackRegion regions_[kLaneCount];
  kernels::OscillatorLanes lanes_;
};

// `kept`: with the lane setup kept from block to block, as the window renderer keeps it.
// `linear_lanes`: lanes interpolated linearly in a call of `mode` (coarse voices).
void lane_oscillator_fn(benchmark::State& state, kernels::OscillatorLanesFn render, Interpolation mode,
                        Footprint footprint, bool bits24, int sounding, bool kept, Steps steps = Steps::detuned,
                        std::uint32_t linear_lanes = 0) {
  const SyntheticBank bank = bank_for(footprint, bits24);
  SteppedBlocks blocks(bank, steps, 2);
  SteppedBlocks ahead(bank, steps, 2);
  ahead.advance();
  kernels::LaneBlockBuffer out;
  kernels::PersistentOscillatorLanes setup;
  for (auto _ : state) {
    // As the window renderer does while it gathers the next block.
    const kernels::OscillatorLanes next = first_lanes(ahead.lanes(), sounding);
    for (const kernels::OscillatorBlock* block : next.block) {
      if (block != nullptr) kernels::prefetch_block_start(bank.data(), *block);
    }
    kernels::OscillatorLanes lanes = first_lanes(blocks.lanes(), sounding);
    lanes.linear_lanes = linear_lanes;
    if (kept) {
      setup.prepare(mode, lanes);
      lanes.prepared = &setup.setup();
    }
    render(bank.data(), mode, lanes, out.samples);
    benchmark::DoNotOptimize(out.samples);
    blocks.advance();
    ahead.advance();
  }
  count(state, sounding);
}

void lane_oscillator(benchmark::State& state, const kernels::KernelSet* set, Interpolation mode,
                     Footprint footprint, bool bits24) {
  lane_oscillator_fn(state, set->render_oscillator_lanes, mode, footprint, bits24, kLaneCount, false);
}

// The Highway oscillator of the two best targets compiled in that this CPU runs, for comparing
// targets on one machine (the kernel sets hold only the best one's).
struct TargetOscillator {
  std::string name;
  kernels::OscillatorLanesFn fused, portable;
};
std::vector<TargetOscillator> hwy_target_oscillators() {
  std::vector<TargetOscillator> list;
  for (std::int64_t remaining = HWY_TARGETS; remaining != 0 && list.size() < 2;) {
    const std::int64_t target = remaining & -remaining;
    remaining &= ~target;
    if ((hwy::SupportedTargets() & target) == 0) continue;
    hwy::SetSupportedTargetsForTest(target);
    hwy::GetChosenTarget().Update(hwy::SupportedTargets());
    list.push_back({hwy::TargetName(target), kernels::detail::hwy_render_oscillator_lanes(kernels::Arithmetic::fastest),
                    kernels::detail::hwy_render_oscillator_lanes(kernels::Arithmetic::portable)});
    hwy::SetSupportedTargetsForTest(0);
  }
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  return list;
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
  // Cubic on 16-bit points (what real banks mostly play) per Highway target, with every lane
  // sounding and with 5 of 16, as in a typical mix group, and with the setup kept as the
  // renderer keeps it; then with steps of exactly one point in every lane or in a quarter of
  // them, with steps of the wide window path, linear interpolation, and cubic with every third lane linear (coarse voices, which
  // the renderer interpolates linearly), kept only.
  struct Variant {
    Interpolation mode;
    Steps steps;
    std::uint32_t linear_lanes;
    const char* suffix;
  };
  constexpr std::uint32_t kEveryThirdLane = 0x4924u;
  constexpr Variant kVariants[] = {{Interpolation::cubic, Steps::detuned, 0, ""},
                                   {Interpolation::cubic, Steps::unit, 0, ""},
                                   {Interpolation::cubic, Steps::mixed, 0, ""},
                                   {Interpolation::cubic, Steps::wide, 0, ""},
                                   {Interpolation::cubic, Steps::detuned, kEveryThirdLane, "_third_linear"},
                                   {Interpolation::linear, Steps::detuned, 0, ""},
                                   {Interpolation::linear, Steps::unit, 0, ""}};
  for (const TargetOscillator& target : hwy_target_oscillators()) {
    for (const Variant variant : kVariants) {
      const bool classic =
          variant.mode == Interpolation::cubic && variant.steps == Steps::detuned && variant.linear_lanes == 0;
      for (int sounding : {kLaneCount, 5}) {
        for (Footprint footprint : {kCache, kShortLoops}) {
          for (bool portable : {false, true}) {
            for (bool kept : {false, true}) {
              if (!kept && !classic) continue;
              const std::string name = "oscillator_target/" + target.name + (portable ? "_portable" : "") + "/" +
                                       mode_name(variant.mode) + steps_suffix(variant.steps) + variant.suffix + "/" +
                                       footprint.name +
                                       "/" + std::to_string(sounding) + "_lanes" + (kept ? "_kept" : "");
              benchmark::RegisterBenchmark(name.c_str(), lane_oscillator_fn, portable ? target.portable : target.fused,
                                           variant.mode, footprint, false, sounding, kept, variant.steps,
                                           variant.linear_lanes);
            }
          }
        }
      }
    }
  }
  for (Footprint footprint : {kCache, kBank}) {
    const std::string name = std::string("oscillator_voice_by_voice/scalar/cubic/") + footprint.name;
    benchmark::RegisterBenchmark(name.c_str(), voice_by_voice_oscillator, Interpolation::cubic,
                                 footprint);
  }
}

}  // namespace tutti::bench
