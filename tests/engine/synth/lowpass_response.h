#pragma once
// The SF2 voice filter as FluidSynth designs it, written out from the formulas so the tests can
// predict what a tone should measure after it: a two-pole resonant low-pass from the bilinear
// transform (the audio-EQ-cookbook low-pass), cutoff from absolute cents limited to 1500..13500
// cents and to 0.45 x the sample rate, Q from centibels over a Butterworth response (0 cB is
// 1/sqrt(2)), and the passband scaled by 1/sqrt(Q) (SF2 2.04 8.1.3: the DC gain drops by half
// the resonance height). Kept apart from engine/synth/lowpass_filter.cc so the engine is checked
// against the formulas, not against its own code.
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace tutti::test {

inline double filter_cutoff_hz(double cents, double rate = 44100.0) {
  cents = std::clamp(cents, 1500.0, 13500.0);
  return std::min(440.0 * std::pow(2.0, (cents - 6900.0) / 1200.0), 0.45 * rate);
}

inline double filter_q_linear(double q_centibels) {
  return std::pow(10.0, (std::clamp(q_centibels, 0.0, 960.0) / 10.0 - 3.01) / 20.0);
}

// |H(f)| including the 1/sqrt(Q) passband scaling.
inline double lowpass_gain(double hz, double cutoff_cents, double q_centibels, double rate = 44100.0) {
  const double q = filter_q_linear(q_centibels);
  const double omega = 2.0 * std::numbers::pi * filter_cutoff_hz(cutoff_cents, rate) / rate;
  const double alpha = std::sin(omega) / (2.0 * q);
  const double b1 = (1.0 - std::cos(omega)) / (1.0 + alpha);
  const double a1 = -2.0 * std::cos(omega) / (1.0 + alpha);
  const double a2 = (1.0 - alpha) / (1.0 + alpha);
  const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * hz / rate);
  const std::complex<double> h = (0.5 * b1 * (1.0 + z1) * (1.0 + z1)) / (1.0 + a1 * z1 + a2 * z1 * z1);
  return std::abs(h) / std::sqrt(q);
}

inline double lowpass_gain_db(double hz, double cutoff_cents, double q_centibels) {
  return 20.0 * std::log10(lowpass_gain(hz, cutoff_cents, q_centibels));
}

}  // namespace tutti::test
