#pragma once
// The SF2 modulator curves (SF2 2.04 8.2.1) written out from the spec's formulas, with
// FluidSynth's conventions (FLUIDSYNTH_MODEL.md 6.2-6.3): 128-entry tables interpolated
// linearly, controllers normalised by 128 (127 reads as 127/128). Kept separate from
// engine/synth/conversions.cc so the tests check the engine against the formulas, not against
// its own tables.
#include <cmath>

namespace tutti::test {

// Concave curve on a 0..127 table index: -(40/96) * log10((127 - x) / 127), 0 at 0, 1 at 127.
inline double concave_table(int i) {
  if (i <= 0) return 0.0;
  if (i >= 127) return 1.0;
  return -(5.0 / 12.0) * std::log10((127.0 - i) / 127.0);
}
// Convex curve: 1 + (40/96) * log10(x / 127), 0 at 0, 1 at 127.
inline double convex_table(int i) {
  if (i <= 0) return 0.0;
  if (i >= 127) return 1.0;
  return 1.0 + (5.0 / 12.0) * std::log10(i / 127.0);
}

template <typename Table>
double interpolated(Table table, double x) {
  if (x < 0.0) return 0.0;
  const int whole = static_cast<int>(x);
  if (whole >= 127) return 1.0;
  return table(whole) + (table(whole + 1) - table(whole)) * (x - whole);
}

inline double concave(double x) { return interpolated(concave_table, x); }
inline double convex(double x) { return interpolated(convex_table, x); }

// The default velocity, CC7 and CC11 attenuation: 960 cB x concave(127 x (1 - value/128)).
inline double concave_attenuation_cb(int value) { return 960.0 * concave(127.0 * (1.0 - value / 128.0)); }

}  // namespace tutti::test
