#pragma once
// Control-rate design of the voice's resonant low-pass (SF2 initialFilterFc / initialFilterQ),
// following FluidSynth 2.3: the filter is always on, its cutoff limited to 5 Hz..0.45 x the
// output rate (so it also acts as an anti-aliasing filter), Q in centibels above a
// non-resonant response, and the passband scaled by 1/sqrt(Q). A cutoff change is ramped over
// one block. The kernels apply what this produces.
#include <cstdint>
#include <limits>

#include "engine/synth/conversions.h"
#include "engine/synth/filter_design_cache.h"
#include "kernels/voice_block.h"

namespace tutti::engine::synth {

class LowpassFilterDesign {
 public:
  void reset();                        // a new voice: the first design is applied at once
  // The next block designs afresh and applies it at once, whatever the previous blocks did;
  // the cutoff and Q stay.
  void restart();
  void set_cutoff_cents(double cents);  // initialFilterFc + its modulators
  void set_q_centibels(double centibels);
  double cutoff_cents() const { return cutoff_cents_; }  // before modulation by envelope and LFO

  // Writes the block's filter for a cutoff offset `modulation_cents` (envelope and LFO) at
  // output rate `rate` into `block`; a new design comes from `designs` when it has one for the
  // same inputs (null: designed afresh). Field by field into the caller's block rather than a
  // returned temporary: copying a temporary built of narrow stores stalled on reloading it.
  void next_block(double modulation_cents, double rate, FilterDesignCache* designs, kernels::FilterBlock& block) {
    // Most voices hold one cutoff for many blocks, and the cutoff in Hz depends only on the
    // whole cents of the total (the conversion truncates; see filter_cents_to_hz). The same
    // whole cents as in the previous block, with no parameter change since, gives the same
    // cutoff in Hz, which was either designed then or within 0.01 Hz of the design in effect:
    // either way the block keeps the coefficients as they are. A modulation envelope in decay
    // or release moves the total a fraction of a cent per block, so comparing whole cents
    // rather than the exact total skips most conversions.
    const std::uint32_t whole = whole_cutoff_cents(cutoff_cents_ + modulation_cents);
    if (whole == last_whole_cents_ && rate == last_rate_) steady_block(block);
    else changed_block(whole, rate, designs, block);
  }

 private:
  // The control lanes check the whole cents themselves and take the steady block as their
  // template (see ControlBatch).
  friend class ControlBatch;
  // The cutoff limited and truncated, as filter_cents_to_hz does.
  static std::uint32_t whole_cutoff_cents(double cents) {
    return static_cast<std::uint32_t>(limit_filter_cents(cents));
  }
  static constexpr std::uint32_t kNoCents = std::numeric_limits<std::uint32_t>::max();
  void changed_block(std::uint32_t whole_cents, double rate, FilterDesignCache* designs, kernels::FilterBlock& block);
  // The coefficients in effect, unramped.
  void steady_block(kernels::FilterBlock& block) const {
    block.start = steady_;
    block.step = {};
    block.ramp_frames = 0;
    block.compensate_history = false;
    block.enabled = enabled_;
  }
  void design(double cutoff_hz, double rate, FilterDesignCache* designs, kernels::FilterBlock& block);
  // The coefficients for a cutoff at `rate` with this filter's Q.
  LowpassCoefficients coefficients(double cutoff_hz, double rate) const;

  // What every block reads first (40 bytes), then what only a redesign reads. A voice keeps
  // this object last among its per-block state, so the redesign's part lies with its cold
  // state.
  double cutoff_cents_ = 13500.0;
  double last_rate_ = 0.0;
  // The inputs of the previous block (whole cents of the limited total cutoff, output rate);
  // kNoCents after a parameter change, so the next block recomputes.
  std::uint32_t last_whole_cents_ = kNoCents;
  bool enabled_ = false;  // q_linear_ != 0
  kernels::BiquadCoefficients steady_;  // the coefficients in effect, in single precision

  double q_linear_ = 0.0;
  // Coefficients in effect at the end of the previous block.
  double b02_ = 0.0, b1_ = 0.0, a1_ = 0.0, a2_ = 0.0;
  double passband_gain_ = 1.0;
  double last_cutoff_hz_ = -1.0;  // -1 forces a redesign
  bool starting_ = true;
};

}  // namespace tutti::engine::synth
