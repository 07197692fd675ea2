#include "tools/analysis/log_mel.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "tools/analysis/levels.h"
#include "tools/analysis/mel_filterbank.h"
#include "tools/analysis/real_fft.h"
#include "tools/analysis/window.h"

namespace tutti::analysis {

LogMelSpectrogram log_mel_spectrogram(std::span<const float> signal, double sample_rate,
                                      const LogMelSettings& settings, float gain) {
  const std::size_t frame_size = settings.frame_size;
  const MelFilterbank filterbank(settings.band_count, settings.min_hz, settings.max_hz,
                                 frame_size, sample_rate);
  LogMelSpectrogram spectrogram;
  spectrogram.band_count = settings.band_count;
  spectrogram.max_hz = filterbank.max_hz();
  spectrogram.max_hz_clamped = filterbank.was_clamped();
  if (signal.empty() || settings.hop_size == 0) return spectrogram;

  const std::size_t frame_count =
      signal.size() < frame_size ? 1 : 1 + (signal.size() - frame_size) / settings.hop_size;
  spectrogram.db.resize(frame_count * settings.band_count);

  const RealFft fft(frame_size);
  std::vector<float> window = periodic_hann(frame_size);
  for (float& w : window) w *= gain;
  std::vector<float> frame(frame_size);
  std::vector<std::complex<float>> spectrum(fft.bins());
  std::vector<float> power(fft.bins());
  std::vector<float> band_power(settings.band_count);

  for (std::size_t index = 0; index < frame_count; ++index) {
    const std::size_t start = index * settings.hop_size;
    const std::size_t available = std::min(frame_size, signal.size() - start);
    for (std::size_t n = 0; n < available; ++n) frame[n] = signal[start + n] * window[n];
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(available), frame.end(), 0.0f);
    fft.forward(frame, spectrum);
    for (std::size_t k = 0; k < spectrum.size(); ++k) power[k] = std::norm(spectrum[k]);
    filterbank.apply(power, band_power);
    float* row = spectrogram.db.data() + index * settings.band_count;
    for (std::size_t b = 0; b < settings.band_count; ++b) {
      // 1e-30 keeps digital silence finite (-300 dB); the distance's floor sits far above it.
      row[b] = static_cast<float>(10.0 * std::log10(static_cast<double>(band_power[b]) + 1e-30));
    }
  }
  return spectrogram;
}

double log_mel_distance_db(const LogMelSpectrogram& reference, const LogMelSpectrogram& candidate,
                           double floor_range_db) {
  const std::size_t bands = std::min(reference.band_count, candidate.band_count);
  const std::size_t frames = std::min(reference.frames(), candidate.frames());
  if (bands == 0 || frames == 0) return 0.0;
  float loudest = -std::numeric_limits<float>::infinity();
  for (const float db : reference.db) loudest = std::max(loudest, db);
  const double floor_db = static_cast<double>(loudest) - floor_range_db;

  double total = 0.0;
  for (std::size_t frame = 0; frame < frames; ++frame) {
    const float* ref_row = reference.db.data() + frame * reference.band_count;
    const float* cand_row = candidate.db.data() + frame * candidate.band_count;
    for (std::size_t band = 0; band < bands; ++band) {
      total += std::abs(std::max<double>(ref_row[band], floor_db) -
                        std::max<double>(cand_row[band], floor_db));
    }
  }
  return total / static_cast<double>(frames * bands);
}

double level_matched_log_mel_distance_db(std::span<const float> reference,
                                         std::span<const float> candidate, double sample_rate,
                                         const LogMelSettings& settings) {
  const double reference_rms = rms(reference);
  const double candidate_rms = rms(candidate);
  const float gain =
      candidate_rms > 0.0 ? static_cast<float>(reference_rms / candidate_rms) : 1.0f;
  return log_mel_distance_db(log_mel_spectrogram(reference, sample_rate, settings),
                             log_mel_spectrogram(candidate, sample_rate, settings, gain),
                             settings.floor_range_db);
}

}  // namespace tutti::analysis
