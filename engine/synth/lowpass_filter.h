#pragma once
// Control-rate design of the voice's resonant low-pass (SF2 initialFilterFc / initialFilterQ),
// following FluidSynth 2.3: the filter is always on, its cutoff limited to 5 Hz..0.45 x the
// output rate (so it also acts as an anti-aliasing filter), Q in centibels above a
// non-resonant response, and the passband scaled by 1/sqrt(Q). A cutoff change is ramped over
// one block. The kernels apply what this produces.
#include <limits>

#include "kernels/voice_block.h"

namespace tutti::engine::synth {

class LowpassFilterDesign {
 public:
  void reset();                        // a new voice: the first design is applied at once
  void set_cutoff_cents(double cents);  // initialFilterFc + its modulators
  void set_q_centibels(double centibels);

  // Writes the block's filter for a cutoff offset `modulation_cents` (envelope and LFO) at
  // output rate `rate` into `block`. Field by field into the caller's block rather than a
  // returned temporary: copying a temporary built of narrow stores stalled on reloading it.
  void next_block(double modulation_cents, double rate, kernels::FilterBlock& block) {
    // Most voices hold one cutoff for many blocks. The same total cutoff as in the previous
    // block, with no parameter change since, gives the same cutoff in Hz, which was either
    // designed then or within 0.01 Hz of the design in effect: either way the block keeps the
    // coefficients as they are, and converting the cutoff again would change nothing.
    const double cents = cutoff_cents_ + modulation_cents;
    if (cents == last_cents_ && rate == last_rate_) steady_block(block);
    else changed_block(cents, rate, block);
  }

 private:
  void changed_block(double cents, double rate, kernels::FilterBlock& block);
  // The coefficients in effect, unramped.
  void steady_block(kernels::FilterBlock& block) const {
    block.start = {static_cast<float>(b02_), static_cast<float>(b1_), static_cast<float>(a1_),
                   static_cast<float>(a2_)};
    block.step = {};
    block.ramp_frames = 0;
    block.compensate_history = false;
    block.enabled = q_linear_ != 0.0;
  }
  void design(double cutoff_hz, double rate, kernels::FilterBlock& block);

  // What every block reads first (64 bytes), then what only a redesign reads.
  double cutoff_cents_ = 13500.0;
  // The inputs of the previous block; NaN after a parameter change, so the next block
  // recomputes.
  double last_cents_ = std::numeric_limits<double>::quiet_NaN();
  double last_rate_ = 0.0;
  double q_linear_ = 0.0;
  // Coefficients in effect at the end of the previous block.
  double b02_ = 0.0, b1_ = 0.0, a1_ = 0.0, a2_ = 0.0;
  double passband_gain_ = 1.0;
  double last_cutoff_hz_ = -1.0;  // -1 forces a redesign
  bool starting_ = true;
};

}  // namespace tutti::engine::synth
