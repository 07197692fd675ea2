#pragma once
// The parity comparison of a candidate render (tutti) with a reference render (FluidSynth), as
// used by `tutti compare`, the ctest parity tests and the corpus measurements.
//
// Definition (every step on the mono mix, the mean of the channels):
//   1. Both inputs are cut to their first `max_seconds` (the project measures 60 s).
//   2. lag: the integer lag within ±max_lag_seconds (50 ms) maximising the normalised
//      cross-correlation (see lag.h); positive means the candidate is late. Everything below
//      is computed on the aligned overlap: ref[n] against cand[n + lag] wherever both exist.
//   3. level_db = 20*log10(rms(cand) / rms(ref)).
//   4. logmel_db: the level-matched log-mel distance (see log_mel.h). Level matching scales a
//      candidate against a silent reference to silence too; level_db = +inf flags that case.
//   5. null_snr_db: with g = <ref,cand>/<cand,cand> (least-squares gain),
//      10*log10(sum ref^2 / sum (ref - g*cand)^2); +inf when the residual is exactly zero.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/common/expected.h"
#include "tools/analysis/audio_buffer.h"
#include "tools/analysis/log_mel.h"

namespace tutti::analysis {

struct CompareOptions {
  std::optional<double> max_seconds = 60.0;  // nullopt: the whole files
  double max_lag_seconds = 0.05;
  LogMelSettings log_mel;
};

// Every field appears in the one-line format under the key named in its comment.
struct CompareReport {
  int sample_rate = 0;               // sample_rate
  double ref_seconds = 0.0;          // ref_seconds: whole reference, before the cut
  double cand_seconds = 0.0;         // cand_seconds: whole candidate, before the cut
  double analyzed_seconds = 0.0;     // analyzed_seconds: the aligned overlap measured
  std::int64_t lag_frames = 0;       // lag_frames
  double lag_ms = 0.0;               // lag_ms
  double lag_correlation = 0.0;      // lag_corr: normalised cross-correlation at the lag
  double level_db = 0.0;             // level_db
  double logmel_db = 0.0;            // logmel_db
  double null_snr_db = 0.0;          // null_snr_db
  double null_gain = 0.0;            // null_gain: the least-squares g
  double ref_rms_db = 0.0;           // ref_rms_db: mono mix over the aligned overlap, dBFS
  double cand_rms_db = 0.0;          // cand_rms_db: likewise (level_db = cand − ref)
  double ref_peak_db = 0.0;          // ref_peak_db: max |sample| of any channel after the cut
  double cand_peak_db = 0.0;         // cand_peak_db
  double mel_max_hz = 0.0;           // mel_max_hz: top mel edge, < 16000 when Nyquist clamps it
};

// Fails when the sample rates differ, either input has no channels, or nothing overlaps.
Expected<CompareReport> compare_audio(const AudioBuffer& reference, const AudioBuffer& candidate,
                                      const CompareOptions& options = {});

// Reads both files (errors name the file) and compares them.
Expected<CompareReport> compare_files(const std::filesystem::path& reference,
                                      const std::filesystem::path& candidate,
                                      const CompareOptions& options = {});

// One line of space-separated key=value pairs, keys always in this order:
//   lag_ms lag_frames level_db logmel_db null_snr_db ref_seconds cand_seconds analyzed_seconds
//   ref_rms_db cand_rms_db ref_peak_db cand_peak_db null_gain lag_corr sample_rate mel_max_hz
// Decibels with 2 decimals (null_snr_db 1), seconds with 3, lag_ms with 2, null_gain and
// lag_corr with 4, mel_max_hz with 0; lag_frames and sample_rate are integers. Non-finite values
// print as inf, -inf or nan (null_snr_db=inf: the candidate nulls the reference exactly). New
// keys may be appended at the end; existing keys keep their names, order and meaning. No
// trailing newline.
std::string format_report_line(const CompareReport& report);

}  // namespace tutti::analysis
