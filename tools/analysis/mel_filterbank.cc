#include "tools/analysis/mel_filterbank.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace tutti::analysis {

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

MelFilterbank::MelFilterbank(std::size_t band_count, double min_hz, double max_hz,
                             std::size_t fft_size, double sample_rate)
    : min_hz_(min_hz), max_hz_(max_hz) {
  const double nyquist = 0.5 * sample_rate;
  if (max_hz_ > nyquist) {
    max_hz_ = nyquist;
    clamped_ = true;
  }
  const double low_mel = hz_to_mel(min_hz_);
  const double mel_step = (hz_to_mel(max_hz_) - low_mel) / static_cast<double>(band_count + 1);
  std::vector<double> corners(band_count + 2);
  for (std::size_t i = 0; i < corners.size(); ++i) {
    corners[i] = mel_to_hz(low_mel + mel_step * static_cast<double>(i));
  }
  // Exact ends, free of the mel round trip's rounding.
  corners.front() = min_hz_;
  corners.back() = max_hz_;

  const double hz_per_bin = sample_rate / static_cast<double>(fft_size);
  const std::size_t bin_count = fft_size / 2 + 1;
  bands_.resize(band_count);
  for (std::size_t b = 0; b < band_count; ++b) {
    MelBand& band = bands_[b];
    band.lower_hz = corners[b];
    band.centre_hz = corners[b + 1];
    band.upper_hz = corners[b + 2];
    const auto first = static_cast<std::size_t>(std::max(0.0, std::floor(band.lower_hz / hz_per_bin) + 1));
    band.first_bin = first;
    for (std::size_t k = first; k < bin_count; ++k) {
      const double hz = static_cast<double>(k) * hz_per_bin;
      if (hz >= band.upper_hz) break;
      const double weight = hz <= band.centre_hz
                                ? (hz - band.lower_hz) / (band.centre_hz - band.lower_hz)
                                : (band.upper_hz - hz) / (band.upper_hz - band.centre_hz);
      band.weights.push_back(static_cast<float>(weight));
    }
  }
}

void MelFilterbank::apply(std::span<const float> power, std::span<float> band_power) const {
  assert(band_power.size() == bands_.size());
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    const MelBand& band = bands_[b];
    double sum = 0.0;
    for (std::size_t i = 0; i < band.weights.size(); ++i) {
      sum += static_cast<double>(band.weights[i]) * power[band.first_bin + i];
    }
    band_power[b] = static_cast<float>(sum);
  }
}

}  // namespace tutti::analysis
