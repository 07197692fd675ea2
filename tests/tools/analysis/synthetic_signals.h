#pragma once
// Deterministic test signals for the analysis tests (fixed seeds, double-precision phases).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

namespace tutti::analysis::testing {

inline std::vector<float> sine(double hz, double sample_rate, std::size_t length,
                               double amplitude = 0.5, double phase = 0.0) {
  std::vector<float> signal(length);
  for (std::size_t n = 0; n < length; ++n) {
    signal[n] = static_cast<float>(
        amplitude * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(n) / sample_rate +
                             phase));
  }
  return signal;
}

// A band-limited sawtooth: harmonics k*hz below Nyquist with amplitude 1/k (the strongest
// partial is the fundamental, as in a real saw), each with its own phase.
inline std::vector<float> sawtooth(double hz, double sample_rate, std::size_t length,
                                   double amplitude = 0.3, double phase = 0.0) {
  std::vector<double> sum(length, 0.0);
  for (int k = 1; k * hz < 0.5 * sample_rate; ++k) {
    const double partial_phase = phase * k + 0.1 * k * k;
    const double step = 2.0 * std::numbers::pi * k * hz / sample_rate;
    for (std::size_t n = 0; n < length; ++n) {
      sum[n] += std::sin(step * static_cast<double>(n) + partial_phase) / k;
    }
  }
  std::vector<float> signal(length);
  for (std::size_t n = 0; n < length; ++n) signal[n] = static_cast<float>(amplitude * sum[n] * 0.6);
  return signal;
}

inline std::vector<float> white_noise(std::size_t length, double amplitude, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<float> signal(length);
  for (float& x : signal) x = static_cast<float>(amplitude * uniform(generator));
  return signal;
}

// Something like a piano part: overlapping notes with harmonic spectra and exponential decays,
// random pitches and onsets, over a faint noise bed. Mostly low-frequency energy, so its
// autocorrelation is broad, the hard case for exact lag recovery.
inline std::vector<float> music_like(double sample_rate, std::size_t length, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> midi_key(36, 84);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> mix(length, 0.0);
  const auto note_spacing = static_cast<std::size_t>(0.15 * sample_rate);
  for (std::size_t onset = 0; onset < length; onset += note_spacing) {
    const std::size_t start = onset + static_cast<std::size_t>(unit(generator) * 0.1 * sample_rate);
    const double hz = 440.0 * std::exp2((midi_key(generator) - 69) / 12.0);
    const double decay_per_sample = 1.0 / (0.4 * sample_rate);
    for (int k = 1; k <= 6 && k * hz < 0.45 * sample_rate; ++k) {
      const double step = 2.0 * std::numbers::pi * k * hz / sample_rate;
      const double phase = 2.0 * std::numbers::pi * unit(generator);
      for (std::size_t n = start; n < length; ++n) {
        const double t = static_cast<double>(n - start);
        const double envelope = std::exp(-t * decay_per_sample * k);
        if (envelope < 1e-4) break;
        mix[n] += 0.1 / k * envelope * std::sin(step * t + phase);
      }
    }
  }
  std::uniform_real_distribution<double> noise(-1.0, 1.0);
  std::vector<float> signal(length);
  for (std::size_t n = 0; n < length; ++n) {
    signal[n] = static_cast<float>(mix[n] + 1e-3 * noise(generator));
  }
  return signal;
}

}  // namespace tutti::analysis::testing
