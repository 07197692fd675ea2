#include "engine/synth/filter_gain_bound.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>

#include "engine/synth/conversions.h"

namespace tutti::engine::synth {

namespace {

// Below this cutoff the sums level off at their value for the analog prototype (the bilinear
// transform barely bends the response there), so the sum at this cutoff stands for all lower
// ones: it is never smaller.
constexpr double kLevelCents = 8600.0;  // about 1.2 kHz
// Rounding of the coefficients, the steps of the grid and the summation's cut-off.
constexpr double kMargin = 1.1;
// Summed while the filter's ringing lasts less than this; beyond (resonances over ~35 dB) the
// closed-form bound below serves instead.
constexpr int kLongestSum = 1 << 16;

// The low-pass as LowpassFilterDesign::design makes it: b0 (1 + 2/z + 1/z^2) / (1 + a1/z + a2/z^2).
struct Biquad {
  double b02, a1, a2;
};

Biquad design(double cutoff_hz, double rate, double q_linear) {
  const double omega = 2.0 * std::numbers::pi * (cutoff_hz / rate);
  const double alpha = std::sin(omega) / (2.0 * q_linear);
  const double a0_inverse = 1.0 / (1.0 + alpha);
  const double passband_gain = 1.0 / std::sqrt(q_linear);
  return {(1.0 - std::cos(omega)) * a0_inverse * passband_gain * 0.5, -2.0 * std::cos(omega) * a0_inverse,
          (1.0 - alpha) * a0_inverse};
}

// A closed-form bound on the sum, from the poles p: each (1 + 1/z) / (1 - p/z) equals
// 1 + (1 + p)/z / (1 - p/z), whose response magnitudes sum to at most 1 + |1 + p| / (1 - |p|).
double closed_form_bound(const Biquad& f) {
  const std::complex<double> root = std::sqrt(std::complex<double>(f.a1 * f.a1 - 4.0 * f.a2, 0.0));
  auto section = [](std::complex<double> p) { return 1.0 + std::abs(1.0 + p) / (1.0 - std::abs(p)); };
  return std::fabs(f.b02) * section((-f.a1 + root) / 2.0) * section((-f.a1 - root) / 2.0);
}

// The sum itself, run until the ringing has died to a billionth of it; the rest of the tail
// is at most that much again times the poles' decay, which the margin holds.
double impulse_sum(const Biquad& f) {
  const double pole_radius = std::sqrt(std::fabs(f.a2));
  if (pole_radius >= 1.0 || 1.0 / (1.0 - pole_radius) * 20.0 > kLongestSum) return closed_form_bound(f);
  double y1 = 0.0, y2 = 0.0, sum = 0.0;
  for (int n = 0; n < kLongestSum; ++n) {
    const double x = n == 0 ? 1.0 : 0.0, x1 = n == 1 ? 1.0 : 0.0, x2 = n == 2 ? 1.0 : 0.0;
    const double y = f.b02 * (x + 2.0 * x1 + x2) - f.a1 * y1 - f.a2 * y2;
    y2 = y1;
    y1 = y;
    sum += std::fabs(y);
    if (n > 2 && std::fabs(y1) + std::fabs(y2) < 1e-9 * sum) return sum;
  }
  return closed_form_bound(f);
}

}  // namespace

const FilterGainBounds& FilterGainBounds::shared(double output_rate) {
  static std::mutex mutex;
  static std::map<double, std::unique_ptr<FilterGainBounds>> by_rate;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& bounds = by_rate[output_rate];
  if (!bounds) bounds = std::make_unique<FilterGainBounds>(output_rate);
  return *bounds;
}

const std::vector<double>& FilterGainBounds::table(int q_centibels) const {
  return by_centibel_[static_cast<std::size_t>(q_centibels)].get([&] { return find_table(q_centibels); });
}

std::vector<double> FilterGainBounds::find_table(int q_centibels) const {
  // As LowpassFilterDesign::set_q_centibels and changed_block turn Q and a cutoff into a design.
  const double q_db = std::clamp(q_centibels / 10.0, 0.0, 96.0) - static_cast<double>(3.01f);
  const double q_linear = std::pow(10.0, q_db / 20.0);
  const double highest_hz = static_cast<double>(0.45f) * output_rate_;
  std::vector<double> sums;
  double running = 0.0;
  for (double cents = kLowestFilterCents; cents < kHighestFilterCents + kGridCents; cents += kGridCents) {
    // A grid point stands for the cutoffs up to the next one: take the sum at the next.
    const double at = std::clamp(std::max(cents + kGridCents, kLevelCents), kLowestFilterCents, kHighestFilterCents);
    const double cutoff_hz = std::clamp(cents_to_hz(at), 5.0, highest_hz);
    running = std::max(running, impulse_sum(design(cutoff_hz, output_rate_, q_linear)) * kMargin);
    sums.push_back(running);
  }
  return sums;
}

FilterGainBounds::ForQ FilterGainBounds::for_q(double q_centibels) const {
  return ForQ(table(static_cast<int>(std::clamp(std::ceil(q_centibels), 0.0, double{kLargestQCentibels}))));
}

}  // namespace tutti::engine::synth
