#include "tools/analysis/levels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tutti::analysis {

double amplitude_to_db(double amplitude) {
  if (amplitude <= 0.0) return -std::numeric_limits<double>::infinity();
  return 20.0 * std::log10(amplitude);
}

double db_to_amplitude(double db) { return std::pow(10.0, db / 20.0); }

double sum_of_squares(std::span<const float> samples) {
  double partial[4] = {0.0, 0.0, 0.0, 0.0};
  const std::size_t whole_groups = samples.size() / 4 * 4;
  for (std::size_t n = 0; n < whole_groups; n += 4) {
    for (std::size_t lane = 0; lane < 4; ++lane) {
      const double x = samples[n + lane];
      partial[lane] += x * x;
    }
  }
  for (std::size_t n = whole_groups; n < samples.size(); ++n) {
    const double x = samples[n];
    partial[0] += x * x;
  }
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

double dot_product(std::span<const float> a, std::span<const float> b) {
  const std::size_t length = std::min(a.size(), b.size());
  double partial[4] = {0.0, 0.0, 0.0, 0.0};
  const std::size_t whole_groups = length / 4 * 4;
  for (std::size_t n = 0; n < whole_groups; n += 4) {
    for (std::size_t lane = 0; lane < 4; ++lane) {
      partial[lane] += static_cast<double>(a[n + lane]) * b[n + lane];
    }
  }
  for (std::size_t n = whole_groups; n < length; ++n) {
    partial[0] += static_cast<double>(a[n]) * b[n];
  }
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

double rms(std::span<const float> samples) {
  if (samples.empty()) return 0.0;
  return std::sqrt(sum_of_squares(samples) / static_cast<double>(samples.size()));
}

double rms_db(std::span<const float> samples) { return amplitude_to_db(rms(samples)); }

double peak(std::span<const float> samples) {
  // Four running maxima, for the same reason as in sum_of_squares (max is exact, so the
  // grouping cannot change the result).
  float largest[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  const std::size_t whole_groups = samples.size() / 4 * 4;
  for (std::size_t n = 0; n < whole_groups; n += 4) {
    for (std::size_t lane = 0; lane < 4; ++lane) {
      largest[lane] = std::max(largest[lane], std::abs(samples[n + lane]));
    }
  }
  for (std::size_t n = whole_groups; n < samples.size(); ++n) {
    largest[0] = std::max(largest[0], std::abs(samples[n]));
  }
  return std::max(std::max(largest[0], largest[1]), std::max(largest[2], largest[3]));
}

double peak_db(std::span<const float> samples) { return amplitude_to_db(peak(samples)); }

std::optional<std::size_t> first_index_above(std::span<const float> samples, double threshold) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (std::abs(static_cast<double>(samples[i])) > threshold) return i;
  }
  return std::nullopt;
}

std::vector<double> rms_envelope(std::span<const float> samples, std::size_t block_size) {
  std::vector<double> envelope;
  if (block_size == 0) return envelope;
  envelope.reserve((samples.size() + block_size - 1) / block_size);
  for (std::size_t start = 0; start < samples.size(); start += block_size) {
    envelope.push_back(rms(samples.subspan(start, std::min(block_size, samples.size() - start))));
  }
  return envelope;
}

}  // namespace tutti::analysis
