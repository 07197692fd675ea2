#include "tools/analysis/pitch.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "tools/analysis/real_fft.h"
#include "tools/analysis/window.h"

namespace tutti::analysis {
namespace {

constexpr std::size_t kMinimumSamples = 64;
// Zero padding of the coarse FFT: 4x puts the strongest padded bin within 1/8 of an unpadded
// bin of the peak, well inside the region where Newton's method converges.
constexpr std::size_t kPaddingFactor = 4;
constexpr int kMaxNewtonSteps = 12;
// The Hann-squared window's spectrum has its first nulls at ±3 bins.
constexpr double kMainLobeHalfWidthBins = 3.0;
// Float audio and a float FFT leave rounding noise ~140 dB below full scale; a "peak" this far
// below the signal's strongest component is that noise, not a tone.
constexpr double kMinimumRelativePower = 1e-10;  // -100 dB

// An upper bound of the Hann-squared window's normalised spectrum |W(x)| at x bins beyond its
// main lobe: W(x) = 4 sinc(x) / ((1 - x^2)(4 - x^2)) and |sin| <= 1.
double side_lobe_bound(double x) {
  return 4.0 / (std::numbers::pi * x * (x * x - 1.0) * (x * x - 4.0));
}

// Why the strongest bin of the search band is not a tone of its own (nullopt when it is): it is
// rounding noise, or no stronger than the window's side lobes of a component outside the band
// could make it (such leakage forms local maxima too).
std::optional<std::string> why_not_a_tone(const std::vector<double>& power, std::size_t peak,
                                          double padded_bins_per_bin, double hz_per_bin) {
  double strongest = 0.0, worst_leakage = 0.0;
  std::size_t leakage_source = 0;
  for (std::size_t k = 0; k < power.size(); ++k) {
    strongest = std::max(strongest, power[k]);
    const double distance =
        std::abs(static_cast<double>(k) - static_cast<double>(peak)) / padded_bins_per_bin;
    if (distance <= kMainLobeHalfWidthBins) continue;
    const double bound = side_lobe_bound(distance);
    if (power[k] * bound * bound > worst_leakage) {
      worst_leakage = power[k] * bound * bound;
      leakage_source = k;
    }
  }
  if (power[peak] < kMinimumRelativePower * strongest) {
    return "the strongest bin is more than 100 dB below the signal's strongest component";
  }
  // Within 6 dB of the worst-case leakage: too close to tell a tone from a side lobe.
  if (power[peak] < 4.0 * worst_leakage) {
    // The bound is largest on the near flank of the offending main lobe; name its summit.
    while (leakage_source + 1 < power.size() && power[leakage_source + 1] > power[leakage_source]) {
      ++leakage_source;
    }
    while (leakage_source > 0 && power[leakage_source - 1] > power[leakage_source]) {
      --leakage_source;
    }
    return "the strongest bin may be a side lobe of the component at " +
           std::to_string(static_cast<double>(leakage_source) * hz_per_bin) + " Hz";
  }
  return std::nullopt;
}

Unexpected estimation_error(std::string what) {
  return Unexpected{Error{"", "pitch estimate", -1, std::move(what)}};
}

// The continuous spectrum X(w) = sum_n y[n] exp(-i w t_n) of the windowed signal and its first
// two derivatives in w, with t_n measured from the window's centre (keeps the sums well scaled).
struct SpectrumAndDerivatives {
  std::complex<double> value, first, second;
};

SpectrumAndDerivatives evaluate_spectrum(const std::vector<double>& windowed, double omega) {
  const double centre = 0.5 * static_cast<double>(windowed.size() - 1);
  // exp(-i w t) advances by a fixed rotation per sample; it is recomputed exactly every
  // kResync samples so rounding cannot accumulate over long signals.
  constexpr std::size_t kResync = 256;
  const std::complex<double> rotation = std::polar(1.0, -omega);
  std::complex<double> value, first, second, phasor;
  for (std::size_t n = 0; n < windowed.size(); ++n) {
    const double t = static_cast<double>(n) - centre;
    if (n % kResync == 0) phasor = std::polar(1.0, -omega * t);
    const std::complex<double> term = windowed[n] * phasor;
    value += term;
    first += std::complex<double>(0.0, -t) * term;
    second += (-t * t) * term;
    phasor *= rotation;
  }
  return {value, first, second};
}

// Newton's method on P(w) = |X(w)|^2 from the coarse estimate; each step is limited to half a
// padded bin, and iteration stops where P is not concave (no maximum nearby to converge to).
double refine_peak(const std::vector<double>& windowed, double omega, double max_step) {
  for (int step = 0; step < kMaxNewtonSteps; ++step) {
    const SpectrumAndDerivatives s = evaluate_spectrum(windowed, omega);
    const double slope = 2.0 * std::real(std::conj(s.value) * s.first);
    const double curvature =
        2.0 * (std::norm(s.first) + std::real(std::conj(s.value) * s.second));
    if (!(curvature < 0.0)) break;
    const double delta = std::clamp(-slope / curvature, -max_step, max_step);
    omega += delta;
    if (std::abs(delta) <= 1e-13 * omega) break;
  }
  return omega;
}

}  // namespace

Expected<ToneEstimate> estimate_tone(std::span<const float> signal, double sample_rate,
                                     double min_hz, double max_hz) {
  if (signal.size() < kMinimumSamples) {
    return estimation_error("signal has " + std::to_string(signal.size()) +
                            " samples, fewer than " + std::to_string(kMinimumSamples));
  }
  if (!(sample_rate > 0.0)) return estimation_error("sample rate must be positive");
  const std::size_t length = signal.size();

  double mean = 0.0;
  for (const float sample : signal) mean += sample;
  mean /= static_cast<double>(length);
  // Hann squared rather than Hann: its side lobes fall as 1/k^5 instead of 1/k^3, which cuts the
  // pull of the tone's own negative-frequency image and of neighbouring harmonics on the peak
  // by 40-100x at low pitches (a 30 Hz sawtooth over 0.5 s: 0.017 -> 0.0004 cent), at the cost
  // of a main lobe ±3 bins wide instead of ±2, irrelevant for harmonic tones.
  std::vector<double> windowed = symmetric_hann(length);
  double window_sum = 0.0;
  for (std::size_t n = 0; n < length; ++n) {
    windowed[n] *= windowed[n];
    window_sum += windowed[n];
    windowed[n] *= static_cast<double>(signal[n]) - mean;
  }

  const std::size_t padded = fast_real_fft_size(kPaddingFactor * length);
  const RealFft fft(padded);
  std::vector<float> time(padded, 0.0f);
  std::transform(windowed.begin(), windowed.end(), time.begin(),
                 [](double x) { return static_cast<float>(x); });
  std::vector<std::complex<float>> spectrum(fft.bins());
  fft.forward(time, spectrum);
  std::vector<double> power(fft.bins());
  for (std::size_t k = 0; k < power.size(); ++k) {
    power[k] = std::norm(std::complex<double>(spectrum[k]));
  }

  // Keep a main lobe's width from 0 Hz and from Nyquist: closer than that a tone's lobe
  // overlaps its own mirror image and the peak no longer marks its frequency.
  const double hz_per_bin = sample_rate / static_cast<double>(padded);
  const double guard_hz = kMainLobeHalfWidthBins * sample_rate / static_cast<double>(length);
  const double low_hz = std::max(min_hz, guard_hz);
  const double high_hz = std::min(max_hz, 0.5 * sample_rate - guard_hz);
  if (!(low_hz < high_hz)) {
    return estimation_error("empty search band after clamping to [" + std::to_string(guard_hz) +
                            ", " + std::to_string(0.5 * sample_rate - guard_hz) + "] Hz");
  }
  const auto low_bin = static_cast<std::size_t>(std::ceil(low_hz / hz_per_bin));
  const auto high_bin =
      std::max(low_bin, static_cast<std::size_t>(std::floor(high_hz / hz_per_bin)));
  std::size_t peak = low_bin;
  for (std::size_t k = low_bin; k <= high_bin; ++k) {
    if (power[k] > power[peak]) peak = k;
  }
  if (!(power[peak] > 0.0)) return estimation_error("signal is silent in the search band");
  if ((peak == low_bin && power[peak - 1] > power[peak]) ||
      (peak == high_bin && power[peak + 1] > power[peak])) {
    return estimation_error("no spectral peak between " + std::to_string(low_hz) + " and " +
                            std::to_string(high_hz) + " Hz (the spectrum rises past the edge)");
  }
  const double padded_bins_per_bin = static_cast<double>(padded) / static_cast<double>(length);
  if (const auto reason = why_not_a_tone(power, peak, padded_bins_per_bin, hz_per_bin)) {
    return estimation_error("no tone between " + std::to_string(low_hz) + " and " +
                            std::to_string(high_hz) + " Hz: " + *reason);
  }

  // Parabola through the log powers: exact for a Gaussian-shaped peak, and already within a few
  // hundredths of a padded bin for this window's main lobe.
  constexpr double kTiny = 1e-300;
  const double left = std::log(power[peak - 1] + kTiny);
  const double centre = std::log(power[peak] + kTiny);
  const double right = std::log(power[peak + 1] + kTiny);
  const double denominator = left - 2.0 * centre + right;
  const double offset =
      denominator < 0.0 ? std::clamp(0.5 * (left - right) / denominator, -0.5, 0.5) : 0.0;

  const double radians_per_bin = 2.0 * std::numbers::pi / static_cast<double>(padded);
  const double coarse_omega = (static_cast<double>(peak) + offset) * radians_per_bin;
  const double omega = refine_peak(windowed, coarse_omega, 0.5 * radians_per_bin);

  ToneEstimate tone;
  tone.hz = omega * sample_rate / (2.0 * std::numbers::pi);
  // A sinusoid of amplitude A contributes A/2 * sum(w) at its own frequency.
  tone.amplitude = 2.0 * std::abs(evaluate_spectrum(windowed, omega).value) / window_sum;
  return tone;
}

Expected<double> estimate_frequency(std::span<const float> signal, double sample_rate) {
  auto tone = estimate_tone(signal, sample_rate, 0.0, 0.5 * sample_rate);
  if (!tone) return Unexpected{tone.error()};
  return tone->hz;
}

Expected<double> estimate_fundamental(std::span<const float> signal, double sample_rate,
                                      double expected_hz, double search_cents) {
  if (!(expected_hz > 0.0) || !(search_cents > 0.0)) {
    return estimation_error("expected frequency and search width must be positive");
  }
  const double ratio = std::exp2(search_cents / 1200.0);
  auto tone = estimate_tone(signal, sample_rate, expected_hz / ratio, expected_hz * ratio);
  if (!tone) return Unexpected{tone.error()};
  return tone->hz;
}

double cents_between(double hz, double reference_hz) { return 1200.0 * std::log2(hz / reference_hz); }

}  // namespace tutti::analysis
