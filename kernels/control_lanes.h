#pragma once
// The control rate of eight voices at once: one 64-frame block of their envelopes, LFOs, gain,
// pitch check, play position and filter check, side by side in vectors. The engine's scalar
// step (engine/synth/voice_step.h) defines every value; this kernel does the same operations
// in the same order on each lane, in double precision without fused multiply-add, so a lane's
// results are that step's bits, from every target (the answer is exact, like signal_peak's,
// so callers take Highway's best target whatever kernels render the audio).
//
// Only the regular block is done here: the one that changes no envelope stage, keeps its
// pitch, does not end the voice, is not silent and wraps its loop at most once at either end.
// A lane whose block is not regular is left as it was and reported, for the engine to step
// that block with its scalar code. Most blocks of a song are regular (a voice holds its stage
// for hundreds of blocks), and the scalar step spent ~250 instructions on each.
#include <cstdint>

#include "kernels/voice_block.h"

namespace tutti::kernels {

inline constexpr int kControlLanes = 8;
// The gain a muted voice keeps while its block's target is not zero (Voice::step_unheard).
inline constexpr double kUnheardGain = 1e-30;

// Per lane; flags are all ones (true) or zero. One field per array, as vectors load them.
struct alignas(64) ControlLanes {
  using Doubles = double[kControlLanes];
  using Flags = std::uint64_t[kControlLanes];
  using Phases = std::uint64_t[kControlLanes];

  Flags active{};  // lanes to step; the others are left alone

  // The two envelopes in their current stage: value = coeff * value + increment per block,
  // within [min, max], for `blocks` blocks of which `done` have passed.
  struct Envelopes {
    Doubles value{}, coeff{}, increment{}, min{}, max{}, done{}, blocks{};
  };
  Envelopes volume, modulation;
  Flags volume_in_attack{};  // the gain follows the envelope's amplitude, not its attenuation

  // Triangle LFOs between -1 and 1; they move once `frames` reaches their delay.
  Doubles mod_lfo_value{}, mod_lfo_increment{}, mod_lfo_delay{};
  Doubles vib_lfo_value{}, vib_lfo_increment{}, vib_lfo_delay{};
  Doubles frames{};        // frames played before the block
  Doubles note_off_at{};   // a delayed note-off's frame count; infinity for none

  // Gain: the oscillator gain reached so far, the voice's attenuation as a gain, tremolo depth
  // in centibels per unit of LFO (negated), and what ends the voice: its loudest possible gain
  // per unit of envelope below the noise floor (which depends on whether it has looped).
  Doubles gain{}, attenuation_gain{}, lfo_to_volume{}, min_attenuation_gain{}, noise_floor_unlooped{},
      noise_floor_looped{};
  // A muted voice's lane keeps of its gain only whether it is zero: 0, or kUnheardGain.
  Flags unheard{};

  // Pitch in cents and its modulation depths; the block is regular only at the pitch whose
  // increment the lane holds.
  Doubles pitch_cents{}, mod_lfo_to_pitch{}, vib_lfo_to_pitch{}, mod_env_to_pitch{}, last_pitch{};
  // Filter cutoff in cents and its modulation depths; last_whole_cents is the whole cents of
  // the last block's limited cutoff (a change asks the engine for a new design).
  Doubles cutoff_cents{}, mod_lfo_to_cutoff{}, mod_env_to_cutoff{}, last_whole_cents{};

  // The play position, 32.32 fixed point, and the sample's bounds: the loop's end (a point
  // index) and length, and for a voice that does not loop the first phase past its end.
  Phases phase{}, increment{}, loop_end{}, loop_length{}, end_phase{};
  Flags looping{}, has_looped{};
};

// What the engine needs of the constants: the attenuation table (centibels to gain, indexed by
// whole centibels 0..attenuation_top, the last entry zero), the filter's cutoff range in cents,
// and half a point of phase when the interpolation rounds to the nearest point (else 0).
struct ControlLaneConstants {
  const double* attenuation_table = nullptr;
  double attenuation_top = 0.0;
  double lowest_cutoff_cents = 0.0;
  double highest_cutoff_cents = 0.0;
  std::uint64_t half_point = 0;
};

// One block's results per lane. For a regular lane the state has moved past the block; the
// block reads from `start` (wrapped into the loop), ramps its gain from `gain` by `gain_step`
// per frame, had looped before it when `looped_at_start`, and modulates the cutoff by
// `cutoff_modulation` cents, whose whole cents differ from the last block's when
// `filter_changed`.
struct alignas(64) ControlLaneOutput {
  ControlLanes::Flags regular{};
  ControlLanes::Phases start{};
  ControlLanes::Doubles gain{}, gain_step{}, cutoff_modulation{};
  ControlLanes::Flags looped_at_start{}, filter_changed{};
};

using ControlLanesFn = void (*)(ControlLanes& lanes, const ControlLaneConstants& constants, ControlLaneOutput& out);

namespace scalar {
void step_control_lanes(ControlLanes& lanes, const ControlLaneConstants& constants, ControlLaneOutput& out);
}  // namespace scalar

// Highway's implementation for the best target this CPU supports.
ControlLanesFn dispatched_step_control_lanes();

}  // namespace tutti::kernels
