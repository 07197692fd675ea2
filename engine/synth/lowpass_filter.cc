#include "engine/synth/lowpass_filter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/synth/conversions.h"

namespace tutti::engine::synth {

void LowpassFilterDesign::reset() {
  restart();
  q_linear_ = 0.0;
  enabled_ = false;
}

void LowpassFilterDesign::restart() {
  last_cutoff_hz_ = -1.0;
  last_whole_cents_ = kNoCents;
  starting_ = true;
}

void LowpassFilterDesign::set_cutoff_cents(double cents) {
  cutoff_cents_ = cents;
  last_cutoff_hz_ = -1.0;
  last_whole_cents_ = kNoCents;
}

void LowpassFilterDesign::set_q_centibels(double centibels) {
  // SF2 Q is the resonance peak height in cB over a response without a peak: 0 cB means a
  // Butterworth response (linear Q 1/sqrt(2)), hence the 3.01 dB offset.
  // The offset is FluidSynth's single-precision 3.01f, kept for identical results.
  const double q_db = std::clamp(centibels / 10.0, 0.0, 96.0) - static_cast<double>(3.01f);
  q_linear_ = std::pow(10.0, q_db / 20.0);
  enabled_ = q_linear_ != 0.0;
  // SF2 2.04 section 8.1.3: lower the gain by half the resonance height.
  passband_gain_ = 1.0 / std::sqrt(q_linear_);
  last_cutoff_hz_ = -1.0;
  last_whole_cents_ = kNoCents;
}

void LowpassFilterDesign::changed_block(std::uint32_t whole_cents, double rate, FilterDesignCache* designs,
                                        kernels::FilterBlock& block) {
  last_whole_cents_ = whole_cents;
  last_rate_ = rate;
  double cutoff_hz = cents_to_hz(whole_cents);  // already limited
  // 0.45f as FluidSynth writes it (single precision), so the ceiling is the same to the last bit.
  cutoff_hz = std::clamp(cutoff_hz, 5.0, static_cast<double>(0.45f) * rate);
  if (q_linear_ == 0.0 || !(std::fabs(cutoff_hz - last_cutoff_hz_) > 0.01)) {
    steady_block(block);
    return;
  }
  last_cutoff_hz_ = cutoff_hz;
  design(cutoff_hz, rate, designs, block);
}

LowpassCoefficients LowpassFilterDesign::coefficients(double cutoff_hz, double rate) const {
  // Bilinear-transform low-pass (audio EQ cookbook form), normalised by a0; b0 == b2.
  const double omega = 2.0 * std::numbers::pi * (cutoff_hz / rate);
  const double sine = std::sin(omega);
  const double cosine = std::cos(omega);
  const double alpha = sine / (2.0 * q_linear_);
  const double a0_inverse = 1.0 / (1.0 + alpha);
  LowpassCoefficients c;
  c.a1 = -2.0 * cosine * a0_inverse;
  c.a2 = (1.0 - alpha) * a0_inverse;
  c.b1 = (1.0 - cosine) * a0_inverse * passband_gain_;
  c.b02 = c.b1 * 0.5;
  return c;
}

void LowpassFilterDesign::design(double cutoff_hz, double rate, FilterDesignCache* designs,
                                 kernels::FilterBlock& block) {
  // The passband gain follows from the linear Q (set_q_centibels), so the Q stands for both.
  const auto fresh = [&] { return coefficients(cutoff_hz, rate); };
  const LowpassCoefficients c = designs != nullptr ? designs->get(cutoff_hz, rate, q_linear_, fresh) : fresh();
  const double b02 = c.b02, b1 = c.b1, a1 = c.a1, a2 = c.a2;

  block.enabled = true;
  block.step = {};
  block.ramp_frames = 0;
  block.compensate_history = false;
  if (starting_) {
    starting_ = false;
    block.start = {static_cast<float>(b02), static_cast<float>(b1), static_cast<float>(a1),
                   static_cast<float>(a2)};
  } else {
    constexpr double frames = kernels::kBlockFrames;
    block.start = {static_cast<float>(b02_), static_cast<float>(b1_), static_cast<float>(a1_),
                   static_cast<float>(a2_)};
    block.step = {static_cast<float>((b02 - b02_) / frames), static_cast<float>((b1 - b1_) / frames),
                  static_cast<float>((a1 - a1_) / frames), static_cast<float>((a2 - a2_) / frames)};
    block.ramp_frames = kernels::kBlockFrames;
    if (std::fabs(b02_) > 0.0001) {
      const double ratio = b02 / b02_;
      block.compensate_history = ratio < 0.5 || ratio > 2.0;
    }
  }
  b02_ = b02;
  b1_ = b1;
  a1_ = a1;
  a2_ = a2;
  steady_ = {static_cast<float>(b02), static_cast<float>(b1), static_cast<float>(a1),
             static_cast<float>(a2)};
}

}  // namespace tutti::engine::synth
