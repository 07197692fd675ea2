#pragma once
// SoundFont unit conversions, computed the way FluidSynth 2.3 computes them. Several of them
// quantise (pitch to whole cents, attenuation to whole centibels); tutti keeps those steps
// because they decide the exact pitch and level of every note, and a null test against
// FluidSynth fails on a tenth of a cent of drift.
//
// The table-read conversions are inline: voices call them every block, and a call per read
// cost more than the read.
#include <array>

namespace tutti::engine::synth {

namespace conversion_tables {

inline constexpr int kCentsTableSize = 1200;
inline constexpr int kAttenuationTableSize = 1441;  // 0..144 dB in centibels
inline constexpr int kCurveTableSize = 128;
inline constexpr int kPanTableSize = 1002;

struct Tables {
  Tables();  // conversions.cc
  std::array<double, kCentsTableSize> cents_hz{};
  // One entry past 144 dB, 0: the gain of every attenuation from 1441 cB on, so a clamped
  // index reads the table without a branch (see centibels_to_gain).
  std::array<double, kAttenuationTableSize + 1> attenuation{};
  std::array<double, kCurveTableSize> concave{};
  std::array<double, kCurveTableSize> convex{};
  std::array<double, kPanTableSize> pan{};
};

inline const Tables& tables() {
  static const Tables instance;
  return instance;
}

// Negative cents: the exact formula, out of line.
double negative_cents_to_hz(double cents);

}  // namespace conversion_tables

// Absolute cents (6900 = 440 Hz) to Hz. Non-negative values are truncated to whole cents and
// read from a 1200-entry octave table; negative values use the exact formula.
inline double cents_to_hz(double cents) {
  if (cents < 0.0) return conversion_tables::negative_cents_to_hz(cents);
  const unsigned whole = static_cast<unsigned>(cents) + 300u;
  const unsigned octave = whole / 1200u;
  const unsigned within = whole % 1200u;
  const unsigned factor = 1u << (octave & 31u);
  return factor * conversion_tables::tables().cents_hz[within];
}

// A filter cutoff in absolute cents limited to 1500..13500 cents (about 20 Hz..20 kHz).
inline constexpr double kLowestFilterCents = 1500.0;
inline constexpr double kHighestFilterCents = 13500.0;
inline double limit_filter_cents(double cents) {
  if (cents >= kHighestFilterCents) return kHighestFilterCents;
  if (cents < kLowestFilterCents) return kLowestFilterCents;
  return cents;
}

// Filter cutoff in absolute cents to Hz, limited as limit_filter_cents does.
inline double filter_cents_to_hz(double cents) { return cents_to_hz(limit_filter_cents(cents)); }

// Attenuation in centibels to linear gain: 1 for cb <= 0, 0 from 1441 cB, else a table read at
// the truncated whole centibel. The index is clamped to 0..1441 (entry 0 is exactly 1, entry
// 1441 is 0), so every attenuation reads the table. Voices convert a new attenuation nearly
// every block (release and decay change it): remembering the last one and skipping the read
// when it repeated cost more, in mispredicted branches, than reading every time.
// `table` is tables().attenuation.data(). A caller that fetches it before its arithmetic keeps
// the guard of the function-local static, and the spills around its possible call, out of the
// dependent chain that ends in the read.
inline double centibels_to_gain(double centibels, const double* table) {
  // Comparisons on values, not std::max's references (which went through memory); the lower
  // bound first, so a NaN attenuation reads entry 0 rather than outside the table.
  constexpr double kTop = conversion_tables::kAttenuationTableSize;
  double clamped = centibels > 0.0 ? centibels : 0.0;
  clamped = clamped < kTop ? clamped : kTop;
  return table[static_cast<int>(clamped)];
}
inline double centibels_to_gain(double centibels) {
  return centibels_to_gain(centibels, conversion_tables::tables().attenuation.data());
}

// Timecents to seconds without range limits (2^(tc/1200)).
double timecents_to_seconds(double timecents);
// Delay and attack: -32768 means zero; otherwise clamped to -12000..5000 (delay) or
// -12000..8000 (attack/release).
double delay_timecents_to_seconds(double timecents);
double attack_timecents_to_seconds(double timecents);
double release_timecents_to_seconds(double timecents);

// The SF2 modulator curves on a 0..127 input, linearly interpolated between table points:
// concave rises slowly then fast (attenuation-like), convex is its mirror.
double concave_curve(double value_0_127);
double convex_curve(double value_0_127);

// Equal-power pan gain for a pan value in 0.1% units (-500 left .. 500 right), from a
// 1002-entry sine table read at the truncated index.
double pan_gain(double pan, bool left_channel);

}  // namespace tutti::engine::synth
