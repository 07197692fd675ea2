// The control lanes' scalar twin: lane after lane, each the engine's regular block written out.
#include <cstdint>

#include "kernels/control_lanes.h"

namespace tutti::kernels::scalar {

namespace {

constexpr std::uint64_t kAll = ~std::uint64_t{0};
constexpr double kBlock = kBlockFrames;
// The offset of a block's last frame, in increments.
constexpr std::uint64_t kLastFrame = kBlockFrames - 1;

// An envelope's block, false when it ends its stage (by count or by leaving its range).
bool advance_envelope(const ControlLanes::Envelopes& e, int l, double& next) {
  next = e.coeff[l] * e.value[l] + e.increment[l];
  return e.done[l] < e.blocks[l] && !(next < e.min[l]) && !(next > e.max[l]);
}

double advance_lfo(double value, double& increment, double delay, double frames) {
  if (frames < delay) return value;
  value += increment;
  if (value > 1.0) {
    increment = -increment;
    value = 2.0 - value;
  } else if (value < -1.0) {
    increment = -increment;
    value = -2.0 - value;
  }
  return value;
}

double table_gain(double centibels, const ControlLaneConstants& c) {
  double clamped = centibels > 0.0 ? centibels : 0.0;
  clamped = clamped < c.attenuation_top ? clamped : c.attenuation_top;
  return c.attenuation_table[static_cast<int>(clamped)];
}

// A looping position past the loop's end goes back by one loop length; false when one is not
// enough (the block is then left to the engine).
bool wrap_once(std::uint64_t& phase, bool& wrapped, std::uint64_t loop_end, std::uint64_t loop_length,
               std::uint64_t half) {
  const std::uint64_t index = (phase + half) >> 32;
  wrapped = index >= loop_end;
  if (!wrapped) return true;
  if (index - loop_end >= loop_length) return false;
  phase -= loop_length << 32;
  return true;
}

}  // namespace

void step_control_lanes(ControlLanes& s, const ControlLaneConstants& c, ControlLaneOutput& out) {
  for (int l = 0; l < kControlLanes; ++l) {
    out.regular[l] = 0;
    if (s.active[l] == 0 || s.frames[l] >= s.note_off_at[l]) continue;
    double volume = 0.0;
    double modulation = 0.0;
    if (!advance_envelope(s.volume, l, volume) || !advance_envelope(s.modulation, l, modulation)) continue;
    double mod_lfo_increment = s.mod_lfo_increment[l];
    double vib_lfo_increment = s.vib_lfo_increment[l];
    const double mod_lfo = advance_lfo(s.mod_lfo_value[l], mod_lfo_increment, s.mod_lfo_delay[l], s.frames[l]);
    const double vib_lfo = advance_lfo(s.vib_lfo_value[l], vib_lfo_increment, s.vib_lfo_delay[l], s.frames[l]);

    const double lfo_cb = mod_lfo * s.lfo_to_volume[l];
    double target = 0.0;
    bool target_is_zero = false;
    if (s.volume_in_attack[l] != 0) {
      target = s.attenuation_gain[l] * table_gain(lfo_cb, c) * volume;
      target_is_zero = lfo_cb >= c.attenuation_top || volume == 0.0;
    } else {
      const double centibels = 960.0 * (1.0 - volume) + lfo_cb;
      target = s.attenuation_gain[l] * table_gain(centibels, c);
      target_is_zero = centibels >= c.attenuation_top;
      const double floor = s.has_looped[l] != 0 ? s.noise_floor_looped[l] : s.noise_floor_unlooped[l];
      if (s.min_attenuation_gain[l] * volume < floor) continue;
    }
    const double gain_step = (target - s.gain[l]) / kBlock;
    if (s.gain[l] == 0.0 && target_is_zero) continue;

    const double pitch = s.pitch_cents[l] + mod_lfo * s.mod_lfo_to_pitch[l] + vib_lfo * s.vib_lfo_to_pitch[l] +
                         modulation * s.mod_env_to_pitch[l];
    if (!(pitch == s.last_pitch[l])) continue;

    const std::uint64_t increment = s.increment[l];
    std::uint64_t start = s.phase[l];
    std::uint64_t next_phase = 0;
    bool looped_at_start = s.has_looped[l] != 0;
    bool has_looped = looped_at_start;
    if (s.looping[l] != 0) {
      bool wrapped = false;
      if (!wrap_once(start, wrapped, s.loop_end[l], s.loop_length[l], c.half_point)) continue;
      looped_at_start = looped_at_start || wrapped;
      std::uint64_t last = start + kLastFrame * increment;
      if (!wrap_once(last, wrapped, s.loop_end[l], s.loop_length[l], c.half_point)) continue;
      next_phase = last + increment;
      has_looped = looped_at_start || wrapped;
    } else {
      const std::uint64_t from = start + c.half_point;
      if (from >= s.end_phase[l] || s.end_phase[l] - 1 - from < kLastFrame * increment) continue;
      next_phase = start + kLastFrame * increment + increment;
    }

    const double cutoff_modulation = mod_lfo * s.mod_lfo_to_cutoff[l] + modulation * s.mod_env_to_cutoff[l];
    double cutoff = s.cutoff_cents[l] + cutoff_modulation;
    cutoff = cutoff >= c.highest_cutoff_cents ? c.highest_cutoff_cents
                                              : (cutoff < c.lowest_cutoff_cents ? c.lowest_cutoff_cents : cutoff);
    const double whole_cents = static_cast<double>(static_cast<std::uint32_t>(cutoff));

    out.regular[l] = kAll;
    out.start[l] = start;
    out.gain[l] = s.gain[l];
    out.gain_step[l] = gain_step;
    out.cutoff_modulation[l] = cutoff_modulation;
    out.looped_at_start[l] = looped_at_start ? kAll : 0;
    out.filter_changed[l] = whole_cents != s.last_whole_cents[l] ? kAll : 0;

    s.volume.value[l] = volume;
    s.volume.done[l] += 1.0;
    s.modulation.value[l] = modulation;
    s.modulation.done[l] += 1.0;
    s.mod_lfo_value[l] = mod_lfo;
    s.mod_lfo_increment[l] = mod_lfo_increment;
    s.vib_lfo_value[l] = vib_lfo;
    s.vib_lfo_increment[l] = vib_lfo_increment;
    s.frames[l] += kBlock;
    s.gain[l] = s.unheard[l] == 0 ? s.gain[l] + gain_step * kBlock : (target_is_zero ? 0.0 : kUnheardGain);
    s.last_whole_cents[l] = whole_cents;
    s.phase[l] = next_phase;
    s.has_looped[l] = has_looped ? kAll : 0;
  }
}

}  // namespace tutti::kernels::scalar
