#include "tests/kernels/control_lanes_checks.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

namespace tutti::kernels::test {

namespace {

constexpr std::uint64_t kAll = ~std::uint64_t{0};
constexpr int kTableTop = 1441;

// A falling table like the attenuation table's, its last entry zero.
const std::array<double, kTableTop + 1>& table() {
  static const auto values = [] {
    std::array<double, kTableTop + 1> t{};
    for (int i = 0; i < kTableTop; ++i) t[i] = std::pow(10.0, -i / 200.0);
    return t;
  }();
  return values;
}

ControlLanes random_lanes(std::mt19937_64& random) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto chance = [&](double p) { return unit(random) < p; };
  const auto between = [&](double a, double b) { return a + (b - a) * unit(random); };
  ControlLanes s;
  for (int l = 0; l < kControlLanes; ++l) {
    s.active[l] = chance(0.9) ? kAll : 0;
    // Envelopes: mostly within their stage; some end by count, some leave their range.
    s.volume.value[l] = between(0.0, 1.0);
    s.volume.coeff[l] = between(0.97, 1.0);
    s.volume.increment[l] = between(-0.01, 0.01);
    s.volume.min[l] = chance(0.1) ? s.volume.value[l] : -1.0;
    s.volume.max[l] = chance(0.1) ? s.volume.value[l] : 2.0;
    s.volume.blocks[l] = std::floor(between(0, 40));
    s.volume.done[l] = std::floor(between(0, 30));
    s.volume_in_attack[l] = chance(0.3) ? kAll : 0;
    s.modulation.value[l] = between(0.0, 1.0);
    s.modulation.coeff[l] = between(0.97, 1.0);
    s.modulation.increment[l] = between(-0.01, 0.01);
    s.modulation.min[l] = chance(0.05) ? s.modulation.value[l] : -1.0;
    s.modulation.max[l] = 2.0;
    s.modulation.blocks[l] = chance(0.5) ? 4294967295.0 : std::floor(between(0, 40));
    s.modulation.done[l] = std::floor(between(0, 30));
    // LFOs near their peaks now and then, some still delayed.
    s.frames[l] = 64.0 * std::floor(between(0, 5000));
    s.mod_lfo_value[l] = between(-1.0, 1.0);
    s.mod_lfo_increment[l] = between(-0.3, 0.3);
    s.mod_lfo_delay[l] = chance(0.3) ? s.frames[l] + 64.0 * std::floor(between(0, 3)) : 0.0;
    s.vib_lfo_value[l] = between(-1.0, 1.0);
    s.vib_lfo_increment[l] = between(-0.3, 0.3);
    s.vib_lfo_delay[l] = chance(0.3) ? s.frames[l] + 64.0 * std::floor(between(0, 3)) : 0.0;
    s.note_off_at[l] = chance(0.1) ? s.frames[l] + 64.0 * std::floor(between(0, 4))
                                   : std::numeric_limits<double>::infinity();
    // Gain: silent starts, the noise floor reached, tremolo across the table's ends.
    s.gain[l] = chance(0.2) ? 0.0 : between(0.0, 1.0);
    s.attenuation_gain[l] = between(0.0, 1.0);
    s.lfo_to_volume[l] = chance(0.5) ? 0.0 : between(-1500.0, 1500.0);
    s.min_attenuation_gain[l] = between(0.0, 1.0);
    s.noise_floor_unlooped[l] = chance(0.2) ? between(0.0, 0.5) : 0.0;
    s.noise_floor_looped[l] = chance(0.2) ? between(0.0, 0.5) : 0.0;
    s.unheard[l] = chance(0.3) ? kAll : 0;
    // Pitch: held (no modulation) or moving.
    s.pitch_cents[l] = between(0.0, 12000.0);
    const bool modulated = chance(0.3);
    s.mod_lfo_to_pitch[l] = modulated ? between(-50.0, 50.0) : 0.0;
    s.vib_lfo_to_pitch[l] = modulated ? between(-50.0, 50.0) : 0.0;
    s.mod_env_to_pitch[l] = modulated && chance(0.5) ? between(-100.0, 100.0) : 0.0;
    s.last_pitch[l] = chance(0.05) ? s.pitch_cents[l] + 1.0 : s.pitch_cents[l];
    // Cutoff across both limits.
    s.cutoff_cents[l] = between(1000.0, 14000.0);
    s.mod_lfo_to_cutoff[l] = chance(0.5) ? between(-2000.0, 2000.0) : 0.0;
    s.mod_env_to_cutoff[l] = chance(0.5) ? between(-2000.0, 2000.0) : 0.0;
    s.last_whole_cents[l] = std::floor(s.cutoff_cents[l] + (chance(0.5) ? 0.0 : between(-3.0, 3.0)));
    // Position: loops short and long against the increment (some need two wraps a block),
    // unlooped voices near their end.
    const double points_per_frame = chance(0.1) ? between(10.0, 80.0) : between(0.05, 4.0);
    s.increment[l] = static_cast<std::uint64_t>(points_per_frame * 4294967296.0);
    const auto loop_length = static_cast<std::uint64_t>(between(2.0, 3000.0));
    const auto loop_end = static_cast<std::uint64_t>(between(static_cast<double>(loop_length), 100000.0));
    s.loop_end[l] = loop_end;
    s.loop_length[l] = loop_length;
    const double index = static_cast<double>(loop_end) + between(-2.0, 1.5) * static_cast<double>(loop_length);
    s.phase[l] = static_cast<std::uint64_t>(std::max(0.0, index) * 4294967296.0);
    s.end_phase[l] = (static_cast<std::uint64_t>(std::max(0.0, index) + between(-5.0, 400.0 * points_per_frame)) + 1)
                     << 32;
    s.looping[l] = chance(0.6) ? kAll : 0;
    s.has_looped[l] = chance(0.3) ? kAll : 0;
  }
  return s;
}

}  // namespace

void check_control_lanes(ControlLanesFn kernel, const std::string& what) {
  std::mt19937_64 random(20261207);
  std::array<std::uint64_t, 2> lanes_by_outcome{};  // not regular, regular
  for (int trial = 0; trial < 3000; ++trial) {
    ControlLaneConstants constants;
    constants.attenuation_table = table().data();
    constants.attenuation_top = kTableTop;
    constants.lowest_cutoff_cents = 1500.0;
    constants.highest_cutoff_cents = 13500.0;
    constants.half_point = trial % 2 == 0 ? 0 : std::uint64_t{1} << 31;
    const ControlLanes start = random_lanes(random);
    ControlLanes expected_lanes = start;
    ControlLanes lanes = start;
    ControlLaneOutput want;
    ControlLaneOutput got;
    scalar::step_control_lanes(expected_lanes, constants, want);
    kernel(lanes, constants, got);
    ASSERT_EQ(std::memcmp(&lanes, &expected_lanes, sizeof lanes), 0) << what << ", trial " << trial << ": lane state";
    for (int l = 0; l < kControlLanes; ++l) {
      const std::string where = what + ", trial " + std::to_string(trial) + ", lane " + std::to_string(l);
      ASSERT_EQ(got.regular[l], want.regular[l]) << where;
      if (start.active[l] != 0) ++lanes_by_outcome[want.regular[l] != 0 ? 1 : 0];
      if (want.regular[l] == 0) continue;
      EXPECT_EQ(got.start[l], want.start[l]) << where;
      EXPECT_EQ(std::memcmp(&got.gain[l], &want.gain[l], sizeof(double)), 0) << where;
      EXPECT_EQ(std::memcmp(&got.gain_step[l], &want.gain_step[l], sizeof(double)), 0) << where;
      EXPECT_EQ(std::memcmp(&got.cutoff_modulation[l], &want.cutoff_modulation[l], sizeof(double)), 0) << where;
      EXPECT_EQ(got.looped_at_start[l], want.looped_at_start[l]) << where;
      EXPECT_EQ(got.filter_changed[l], want.filter_changed[l]) << where;
    }
  }
  // The random lanes are regular often enough, and not often enough, for both to be compared.
  EXPECT_GT(lanes_by_outcome[0], 2000u) << what;
  EXPECT_GT(lanes_by_outcome[1], 2000u) << what;
}

}  // namespace tutti::kernels::test
