// The control lanes (one 64-frame block of eight voices' envelopes, LFOs, gain, pitch check,
// position and filter check), scalar twin against Highway's dispatched target, on lanes that
// stay regular block after block: voices held at their sustain, looping, the LFOs moving.
// Rates are voice-blocks per second. No xsimd variant: the answer is exact, so the engine
// always takes Highway's.
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "bench/kernels/benchmarks.h"
#include "kernels/control_lanes.h"

namespace tutti::bench {

namespace {

constexpr int kTableTop = 1441;

kernels::ControlLanes held_lanes() {
  kernels::ControlLanes s;
  for (int l = 0; l < kernels::kControlLanes; ++l) {
    s.active[l] = ~std::uint64_t{0};
    for (kernels::ControlLanes::Envelopes* e : {&s.volume, &s.modulation}) {
      e->value[l] = 0.5 + 0.05 * l;
      e->coeff[l] = 1.0;
      e->increment[l] = 0.0;
      e->min[l] = -1.0;
      e->max[l] = 2.0;
      e->done[l] = 0.0;
      e->blocks[l] = 4294967295.0;
    }
    s.mod_lfo_increment[l] = 0.01 * (l + 1);
    s.vib_lfo_increment[l] = 0.02 * (l + 1);
    s.note_off_at[l] = std::numeric_limits<double>::infinity();
    s.gain[l] = 0.3;
    s.attenuation_gain[l] = 0.8;
    s.lfo_to_volume[l] = -50.0;
    s.min_attenuation_gain[l] = 0.5;
    s.pitch_cents[l] = 6000.0 + 100.0 * l;
    s.last_pitch[l] = s.pitch_cents[l];
    s.cutoff_cents[l] = 9000.0;
    s.last_whole_cents[l] = 9000.0;
    s.increment[l] = (std::uint64_t{1} << 32) + (std::uint64_t{1} << 28) * static_cast<std::uint64_t>(l);
    s.loop_end[l] = 3000;
    s.loop_length[l] = 2000;
    s.phase[l] = std::uint64_t{1500} << 32;
    s.end_phase[l] = std::uint64_t{3001} << 32;
    s.looping[l] = ~std::uint64_t{0};
  }
  return s;
}

void control_lanes(benchmark::State& state, kernels::ControlLanesFn step) {
  static const auto table = [] {
    std::array<double, kTableTop + 1> t{};
    for (int i = 0; i < kTableTop; ++i) t[i] = std::pow(10.0, -i / 200.0);
    return t;
  }();
  kernels::ControlLaneConstants constants;
  constants.attenuation_table = table.data();
  constants.attenuation_top = kTableTop;
  constants.lowest_cutoff_cents = 1500.0;
  constants.highest_cutoff_cents = 13500.0;
  kernels::ControlLanes lanes = held_lanes();
  kernels::ControlLaneOutput out;
  std::int64_t regular = 0;
  for (auto _ : state) {
    step(lanes, constants, out);
    regular += out.regular[0] != 0 ? 1 : 0;
    benchmark::DoNotOptimize(out);
  }
  // Every block was regular (else the rate would be of lanes that stopped).
  if (regular != state.iterations()) state.SkipWithError("a lane left the regular path");
  state.SetItemsProcessed(state.iterations() * kernels::kControlLanes);
}

}  // namespace

void register_control_lanes_benchmarks() {
  benchmark::RegisterBenchmark("control_lanes/scalar", control_lanes, &kernels::scalar::step_control_lanes);
  benchmark::RegisterBenchmark("control_lanes/hwy", control_lanes, kernels::dispatched_step_control_lanes());
}

}  // namespace tutti::bench
