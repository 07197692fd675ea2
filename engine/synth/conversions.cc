#include "engine/synth/conversions.h"

#include <array>
#include <cmath>
#include <numbers>

namespace tutti::engine::synth {

namespace conversion_tables {

namespace {
// The modulator curves span 96 dB (960 cB), the dynamic range the SF2 spec assumes.
constexpr double kCurveRangeCentibels = 960.0;
}  // namespace

Tables::Tables() {
  // One octave starting 300 cents below A (6.875 Hz is 440 Hz / 64), in long double so the
  // rounding matches tables generated with powl. exp2 and exp10 in long double give the same
  // doubles entry for entry (ConversionTables tests) at a tenth of powl's cost, which made these
  // two tables 1.4 ms of every process's start.
  for (int i = 0; i < kCentsTableSize; ++i) {
    cents_hz[i] = static_cast<double>(6.875L * std::exp2(i / 1200.0L));
  }
  for (int i = 0; i < kAttenuationTableSize; ++i) {
    attenuation[i] = static_cast<double>(::exp10l(i / -200.0L));  // glibc's
  }
  attenuation[kAttenuationTableSize] = 0.0;
  concave[0] = 0.0;
  concave[kCurveTableSize - 1] = 1.0;
  convex[0] = 0.0;
  convex[kCurveTableSize - 1] = 1.0;
  for (int i = 1; i < kCurveTableSize - 1; ++i) {
    const long double x = (-200.0L * 2 / kCurveRangeCentibels) *
                          std::log(i / (kCurveTableSize - 1.0L)) / std::numbers::ln10_v<long double>;
    convex[i] = static_cast<double>(1.0L - x);
    concave[kCurveTableSize - 1 - i] = static_cast<double>(x);
  }
  const long double step = std::numbers::pi_v<long double> / 2.0L / (kPanTableSize - 1.0L);
  for (int i = 0; i < kPanTableSize; ++i) pan[i] = static_cast<double>(std::sin(i * step));
}

double negative_cents_to_hz(double cents) {
  return 8.1757989156437073336828122976 * std::pow(2.0, cents / 1200.0);
}

}  // namespace conversion_tables

namespace {

using conversion_tables::kCurveTableSize;
using conversion_tables::tables;

double curve(const std::array<double, kCurveTableSize>& table, double value) {
  if (value < 0.0) return 0.0;
  const int whole = static_cast<int>(value);
  if (whole >= kCurveTableSize - 1) return table[kCurveTableSize - 1];
  return table[whole] + (table[whole + 1] - table[whole]) * (value - whole);
}

}  // namespace

double timecents_to_seconds(double timecents) { return std::pow(2.0, timecents / 1200.0); }

namespace {
double limited_timecents_to_seconds(double timecents, double upper) {
  if (timecents <= -32768.0) return 0.0;
  if (timecents < -12000.0) timecents = -12000.0;
  if (timecents > upper) timecents = upper;
  return std::pow(2.0, timecents / 1200.0);
}
}  // namespace

double delay_timecents_to_seconds(double timecents) {
  return limited_timecents_to_seconds(timecents, 5000.0);
}
double attack_timecents_to_seconds(double timecents) {
  return limited_timecents_to_seconds(timecents, 8000.0);
}
double release_timecents_to_seconds(double timecents) {
  return limited_timecents_to_seconds(timecents, 8000.0);
}

double concave_curve(double value) { return curve(tables().concave, value); }
double convex_curve(double value) { return curve(tables().convex, value); }

double pan_gain(double pan, bool left_channel) {
  if (left_channel) pan = -pan;
  if (pan <= -500.0) return 0.0;
  if (pan >= 500.0) return 1.0;
  return tables().pan[static_cast<int>(pan) + 500];
}

}  // namespace tutti::engine::synth
