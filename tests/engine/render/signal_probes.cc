#include "tests/engine/render/signal_probes.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <numbers>

#include "tools/analysis/pitch.h"

namespace tutti::test {

void report(const std::string& what, double value, const std::string& unit) {
  std::printf("[ measured ] %s: %.4f %s\n", what.c_str(), value, unit.c_str());
}

double to_db(double ratio) { return 20.0 * std::log10(ratio); }

double measured_hz(std::span<const float> signal, double expected_hz) {
  const auto hz = analysis::estimate_fundamental(signal, 44100.0, expected_hz);
  return hz ? *hz : std::numeric_limits<double>::quiet_NaN();
}

double cents_off(std::span<const float> signal, double expected_hz) {
  return analysis::cents_between(measured_hz(signal, expected_hz), expected_hz);
}

double tone_amplitude(std::span<const float> signal, double hz, double rate) {
  if (signal.empty()) return 0.0;
  double in_phase = 0.0, quadrature = 0.0;
  const double step = 2.0 * std::numbers::pi * hz / rate;
  for (std::size_t n = 0; n < signal.size(); ++n) {
    in_phase += signal[n] * std::cos(step * static_cast<double>(n));
    quadrature += signal[n] * std::sin(step * static_cast<double>(n));
  }
  return 2.0 * std::hypot(in_phase, quadrature) / static_cast<double>(signal.size());
}

std::vector<PitchPoint> pitch_trace(std::span<const float> signal, double nominal_hz,
                                    std::size_t window, std::size_t hop, double rate) {
  std::vector<PitchPoint> trace;
  for (std::size_t start = 0; start + window <= signal.size(); start += hop) {
    const auto hz = analysis::estimate_fundamental(signal.subspan(start, window), rate, nominal_hz);
    const double centre = (static_cast<double>(start) + static_cast<double>(window) / 2.0) / rate;
    trace.push_back({centre, hz ? analysis::cents_between(*hz, nominal_hz)
                                : std::numeric_limits<double>::quiet_NaN()});
  }
  return trace;
}

std::int64_t first_above(std::span<const float> signal, double threshold, std::int64_t from) {
  for (auto i = static_cast<std::size_t>(std::max<std::int64_t>(from, 0)); i < signal.size(); ++i) {
    if (std::fabs(signal[i]) > threshold) return static_cast<std::int64_t>(i);
  }
  return -1;
}

std::int64_t last_above(std::span<const float> signal, double threshold) {
  for (std::size_t i = signal.size(); i-- > 0;) {
    if (std::fabs(signal[i]) > threshold) return static_cast<std::int64_t>(i);
  }
  return -1;
}

std::vector<std::int64_t> sound_onsets(std::span<const float> signal, std::int64_t min_silence) {
  std::vector<std::int64_t> onsets;
  std::int64_t silent_run = min_silence;  // the start counts as after silence
  for (std::size_t i = 0; i < signal.size(); ++i) {
    if (signal[i] == 0.0f) {
      ++silent_run;
      continue;
    }
    if (silent_run >= min_silence) onsets.push_back(static_cast<std::int64_t>(i));
    silent_run = 0;
  }
  return onsets;
}

double largest_step(std::span<const float> signal) {
  double largest = 0.0;
  for (std::size_t i = 1; i < signal.size(); ++i) {
    largest = std::max(largest, std::fabs(static_cast<double>(signal[i]) - signal[i - 1]));
  }
  return largest;
}

double mean_magnitude(std::span<const float> signal) {
  if (signal.empty()) return 0.0;
  double sum = 0.0;
  for (float x : signal) sum += std::fabs(x);
  return sum / static_cast<double>(signal.size());
}

std::complex<double> dft_bin(std::span<const float> period, std::size_t k) {
  const double size = static_cast<double>(period.size());
  std::complex<double> sum = 0.0;
  for (std::size_t n = 0; n < period.size(); ++n) {
    // k*n reduced modulo N first keeps the angle small and exact for long periods.
    const double turn = static_cast<double>((k * n) % period.size());
    sum += static_cast<double>(period[n]) * std::polar(1.0, -2.0 * std::numbers::pi * turn / size);
  }
  return sum;
}

}  // namespace tutti::test
