#pragma once
// Log-mel spectrograms and the project's log-mel distance between a reference and a candidate.
//
// Definition (the parity metric; change it only together with the recorded baselines):
//   STFT: periodic Hann window of 2048 samples, hop 512, frames starting at 0, hop, 2*hop, ...
//   while the whole frame fits (a signal shorter than one frame gives one zero-padded frame);
//   power |X[k]|^2; 64 triangular HTK-mel bands from 30 Hz to 16 kHz (clamped to Nyquist);
//   band power in dB, 10*log10(p + 1e-30).
//   Distance: both spectrograms floored at (the reference's largest band dB over all frames
//   − 80 dB); mean over all frames and bands of |ref_db − cand_db|.
#include <cstddef>
#include <span>
#include <vector>

namespace tutti::analysis {

struct LogMelSettings {
  std::size_t frame_size = 2048;
  std::size_t hop_size = 512;
  std::size_t band_count = 64;
  double min_hz = 30.0;
  double max_hz = 16000.0;
  double floor_range_db = 80.0;
};

struct LogMelSpectrogram {
  std::size_t band_count = 0;
  std::vector<float> db;      // frame-major: db[frame * band_count + band]
  double max_hz = 0.0;        // top of the highest band after clamping to Nyquist
  bool max_hz_clamped = false;

  std::size_t frames() const { return band_count == 0 ? 0 : db.size() / band_count; }
};

// The log-mel spectrogram of `signal * gain` (the gain lets a caller level-match without
// copying the signal).
LogMelSpectrogram log_mel_spectrogram(std::span<const float> signal, double sample_rate,
                                      const LogMelSettings& settings = {}, float gain = 1.0f);

// Mean |ref − cand| in dB over the frames both have, after the floor above. 0 when there are
// no frames.
double log_mel_distance_db(const LogMelSpectrogram& reference, const LogMelSpectrogram& candidate,
                           double floor_range_db = 80.0);

// The level-matched distance of the parity report: the candidate is scaled to the reference's
// RMS first (left unscaled if silent), so a pure gain difference scores ~0 and the distance
// measures spectral shape only. Both signals should already be aligned and of equal length.
double level_matched_log_mel_distance_db(std::span<const float> reference,
                                         std::span<const float> candidate, double sample_rate,
                                         const LogMelSettings& settings = {});

}  // namespace tutti::analysis
