#pragma once
// Control-rate design of the voice's resonant low-pass (SF2 initialFilterFc / initialFilterQ),
// following FluidSynth 2.3: the filter is always on, its cutoff limited to 5 Hz..0.45 x the
// output rate (so it also acts as an anti-aliasing filter), Q in centibels above a
// non-resonant response, and the passband scaled by 1/sqrt(Q). A cutoff change is ramped over
// one block. The kernels apply what this produces.
#include "kernels/voice_block.h"

namespace tutti::engine::synth {

class LowpassFilterDesign {
 public:
  void reset();                        // a new voice: the first design is applied at once
  void set_cutoff_cents(double cents);  // initialFilterFc + its modulators
  void set_q_centibels(double centibels);

  // The block's filter for a cutoff offset `modulation_cents` (envelope and LFO) at output
  // rate `rate`.
  kernels::FilterBlock next_block(double modulation_cents, double rate);

 private:
  void design(double cutoff_hz, double rate, kernels::FilterBlock& block);

  double cutoff_cents_ = 13500.0;
  double q_linear_ = 0.0;
  double passband_gain_ = 1.0;
  double last_cutoff_hz_ = -1.0;  // -1 forces a redesign
  bool starting_ = true;
  // Coefficients in effect at the end of the previous block.
  double b02_ = 0.0, b1_ = 0.0, a1_ = 0.0, a2_ = 0.0;
};

}  // namespace tutti::engine::synth
