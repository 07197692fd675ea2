#include "tools/analysis/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "tools/analysis/audio_file.h"
#include "tools/analysis/lag.h"
#include "tools/analysis/levels.h"

namespace tutti::analysis {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

Unexpected compare_error(std::string what) {
  return Unexpected{Error{"", "compare", -1, std::move(what)}};
}

// 20*log10(candidate/reference) with the silent cases spelled out: two silences match (0 dB).
double level_difference_db(double reference_rms, double candidate_rms) {
  if (reference_rms == 0.0 && candidate_rms == 0.0) return 0.0;
  if (reference_rms == 0.0) return kInfinity;
  if (candidate_rms == 0.0) return -kInfinity;
  return 20.0 * std::log10(candidate_rms / reference_rms);
}

struct NullTest {
  double gain = 0.0;
  double snr_db = 0.0;
};

NullTest null_test(std::span<const float> reference, std::span<const float> candidate) {
  const double cross = dot_product(reference, candidate);
  const double candidate_energy = sum_of_squares(candidate);
  const double reference_energy = sum_of_squares(reference);
  NullTest result;
  result.gain = candidate_energy > 0.0 ? cross / candidate_energy : 0.0;
  // The residual is summed directly rather than expanded into energies, which would cancel
  // catastrophically for near-identical signals.
  double residual = 0.0;
  for (std::size_t n = 0; n < reference.size(); ++n) {
    const double difference = reference[n] - result.gain * candidate[n];
    residual += difference * difference;
  }
  if (residual == 0.0) {
    result.snr_db = kInfinity;
  } else {
    result.snr_db = reference_energy > 0.0 ? 10.0 * std::log10(reference_energy / residual)
                                           : -kInfinity;
  }
  return result;
}

// A decimal for the report: fmt prints non-finite values as inf/-inf/nan, which is what the
// format promises.
std::string fixed(double value, int decimals) { return fmt::format("{:.{}f}", value, decimals); }

}  // namespace

Expected<CompareReport> compare_audio(const AudioBuffer& reference, const AudioBuffer& candidate,
                                      const CompareOptions& options) {
  if (reference.channels <= 0 || candidate.channels <= 0) {
    return compare_error("an input has no channels");
  }
  if (reference.sample_rate != candidate.sample_rate || reference.sample_rate <= 0) {
    return compare_error(fmt::format("sample rates differ: reference {} Hz, candidate {} Hz",
                                     reference.sample_rate, candidate.sample_rate));
  }
  const int rate = reference.sample_rate;

  CompareReport report;
  report.sample_rate = rate;
  report.ref_seconds = reference.seconds();
  report.cand_seconds = candidate.seconds();

  std::int64_t frame_limit = std::max(reference.frames(), candidate.frames());
  if (options.max_seconds) {
    frame_limit = std::min(frame_limit, static_cast<std::int64_t>(std::llround(
                                            std::max(0.0, *options.max_seconds) * rate)));
  }
  // Peaks over every channel of the analysed frames: clipping happens per channel.
  const auto head = [frame_limit](const AudioBuffer& audio) {
    const auto frames = static_cast<std::size_t>(std::min(frame_limit, audio.frames()));
    return std::span(audio.interleaved).first(frames * static_cast<std::size_t>(audio.channels));
  };
  report.ref_peak_db = peak_db(head(reference));
  report.cand_peak_db = peak_db(head(candidate));

  const std::vector<float> reference_mono = mono_mix(reference, frame_limit);
  const std::vector<float> candidate_mono = mono_mix(candidate, frame_limit);
  const auto max_lag = static_cast<std::int64_t>(std::llround(options.max_lag_seconds * rate));
  const LagEstimate lag = find_lag(reference_mono, candidate_mono, max_lag);
  report.lag_frames = lag.frames;
  report.lag_ms = 1000.0 * static_cast<double>(lag.frames) / rate;
  report.lag_correlation = lag.correlation;

  // The overlap ref[begin, end) against cand[begin + lag, end + lag).
  const auto reference_length = static_cast<std::int64_t>(reference_mono.size());
  const auto candidate_length = static_cast<std::int64_t>(candidate_mono.size());
  const std::int64_t begin = std::max<std::int64_t>(0, -lag.frames);
  const std::int64_t end = std::min(reference_length, candidate_length - lag.frames);
  if (end <= begin) return compare_error("the reference and the candidate do not overlap");
  const auto length = static_cast<std::size_t>(end - begin);
  const std::span<const float> aligned_reference =
      std::span(reference_mono).subspan(static_cast<std::size_t>(begin), length);
  const std::span<const float> aligned_candidate =
      std::span(candidate_mono).subspan(static_cast<std::size_t>(begin + lag.frames), length);
  report.analyzed_seconds = static_cast<double>(length) / rate;

  const double reference_rms = rms(aligned_reference);
  const double candidate_rms = rms(aligned_candidate);
  report.ref_rms_db = amplitude_to_db(reference_rms);
  report.cand_rms_db = amplitude_to_db(candidate_rms);
  report.level_db = level_difference_db(reference_rms, candidate_rms);

  const float gain =
      candidate_rms > 0.0 ? static_cast<float>(reference_rms / candidate_rms) : 1.0f;
  const LogMelSpectrogram reference_mel = log_mel_spectrogram(aligned_reference, rate,
                                                              options.log_mel);
  const LogMelSpectrogram candidate_mel =
      log_mel_spectrogram(aligned_candidate, rate, options.log_mel, gain);
  report.logmel_db =
      log_mel_distance_db(reference_mel, candidate_mel, options.log_mel.floor_range_db);
  report.mel_max_hz = reference_mel.max_hz;

  const NullTest null = null_test(aligned_reference, aligned_candidate);
  report.null_gain = null.gain;
  report.null_snr_db = null.snr_db;
  return report;
}

Expected<CompareReport> compare_files(const std::filesystem::path& reference,
                                      const std::filesystem::path& candidate,
                                      const CompareOptions& options) {
  // Only the analysed start is decoded; the durations come from the headers.
  const ReadOptions read_options{options.max_seconds};
  auto reference_info = read_audio_file_info(reference);
  if (!reference_info) return Unexpected{reference_info.error()};
  auto candidate_info = read_audio_file_info(candidate);
  if (!candidate_info) return Unexpected{candidate_info.error()};
  auto reference_audio = read_audio_file(reference, read_options);
  if (!reference_audio) return Unexpected{reference_audio.error()};
  auto candidate_audio = read_audio_file(candidate, read_options);
  if (!candidate_audio) return Unexpected{candidate_audio.error()};

  auto report = compare_audio(*reference_audio, *candidate_audio, options);
  if (!report) {
    Error error = report.error();
    error.file = reference.string() + " vs " + candidate.string();
    return Unexpected{std::move(error)};
  }
  // A header may not know its length (a stream); then what was decoded is the best answer.
  if (reference_info->frames > reference_audio->frames()) {
    report->ref_seconds = reference_info->seconds();
  }
  if (candidate_info->frames > candidate_audio->frames()) {
    report->cand_seconds = candidate_info->seconds();
  }
  return report;
}

std::string format_report_line(const CompareReport& report) {
  return fmt::format(
      "lag_ms={} lag_frames={} level_db={} logmel_db={} null_snr_db={} ref_seconds={} "
      "cand_seconds={} analyzed_seconds={} ref_rms_db={} cand_rms_db={} ref_peak_db={} "
      "cand_peak_db={} null_gain={} lag_corr={} sample_rate={} mel_max_hz={}",
      fixed(report.lag_ms, 2), report.lag_frames, fixed(report.level_db, 2),
      fixed(report.logmel_db, 2), fixed(report.null_snr_db, 1), fixed(report.ref_seconds, 3),
      fixed(report.cand_seconds, 3), fixed(report.analyzed_seconds, 3),
      fixed(report.ref_rms_db, 2), fixed(report.cand_rms_db, 2), fixed(report.ref_peak_db, 2),
      fixed(report.cand_peak_db, 2), fixed(report.null_gain, 4), fixed(report.lag_correlation, 4),
      report.sample_rate, fixed(report.mel_max_hz, 0));
}

}  // namespace tutti::analysis
