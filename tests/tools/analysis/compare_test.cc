#include "tools/analysis/compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/tools/analysis/synthetic_signals.h"
#include "tools/analysis/audio_file.h"
#include "tools/analysis/levels.h"
#include "tools/analysis/log_mel.h"

namespace tutti::analysis {
namespace {

constexpr int kRate = 44100;

AudioBuffer mono(std::vector<float> samples, int rate = kRate) {
  return AudioBuffer{rate, 1, std::move(samples)};
}

AudioBuffer stereo(const std::vector<float>& left, const std::vector<float>& right,
                   int rate = kRate) {
  AudioBuffer audio{rate, 2, {}};
  for (std::size_t n = 0; n < left.size(); ++n) {
    audio.interleaved.push_back(left[n]);
    audio.interleaved.push_back(right[n]);
  }
  return audio;
}

CompareReport compare_ok(const AudioBuffer& ref, const AudioBuffer& cand,
                         const CompareOptions& options = {}) {
  auto report = compare_audio(ref, cand, options);
  EXPECT_TRUE(report.has_value()) << report.error().message();
  return report.has_value() ? *report : CompareReport{};
}

std::vector<float> scaled(std::vector<float> signal, float gain) {
  for (float& x : signal) x *= gain;
  return signal;
}

// Noise whose RMS is exactly `db` relative to `signal`'s.
std::vector<float> add_noise_at(const std::vector<float>& signal, double db, std::uint32_t seed) {
  auto noise = testing::white_noise(signal.size(), 1.0, seed);
  const double gain = rms(signal) / rms(noise) * std::pow(10.0, db / 20.0);
  std::vector<float> sum(signal.size());
  for (std::size_t n = 0; n < signal.size(); ++n) {
    sum[n] = signal[n] + static_cast<float>(gain * noise[n]);
  }
  return sum;
}

std::map<std::string, std::string> parse_line(const std::string& line) {
  std::map<std::string, std::string> values;
  std::istringstream words(line);
  std::string word;
  while (words >> word) {
    const auto equals = word.find('=');
    values[word.substr(0, equals)] = word.substr(equals + 1);
  }
  return values;
}

TEST(Compare, IdenticalSignalsMatchPerfectly) {
  const auto left = testing::music_like(kRate, 2 * kRate, 1);
  const auto right = testing::music_like(kRate, 2 * kRate, 2);
  const auto audio = stereo(left, right);
  const CompareReport report = compare_ok(audio, audio);
  EXPECT_EQ(report.lag_frames, 0);
  EXPECT_EQ(report.level_db, 0.0);
  EXPECT_EQ(report.logmel_db, 0.0);
  EXPECT_GT(report.null_snr_db, 150.0);  // +inf: the residual is exactly zero
  EXPECT_NEAR(report.null_gain, 1.0, 1e-12);
  EXPECT_NEAR(report.lag_correlation, 1.0, 1e-6);
  EXPECT_DOUBLE_EQ(report.ref_seconds, 2.0);
  EXPECT_DOUBLE_EQ(report.analyzed_seconds, 2.0);
  EXPECT_EQ(report.ref_rms_db, report.cand_rms_db);
  EXPECT_EQ(report.ref_peak_db, report.cand_peak_db);
}

TEST(Compare, LevelDifferenceOfAScaledCopyIsExact) {
  const auto signal = testing::music_like(kRate, 3 * kRate, 3);
  for (const double db : {-6.0, -0.5, 0.1, 3.0, 12.0}) {
    const auto gain = static_cast<float>(std::pow(10.0, db / 20.0));
    const CompareReport report = compare_ok(mono(signal), mono(scaled(signal, gain)));
    EXPECT_EQ(report.lag_frames, 0);
    EXPECT_NEAR(report.level_db, db, 0.01);
    EXPECT_NEAR(report.cand_rms_db - report.ref_rms_db, db, 0.01);
    // Level matching makes a pure gain change invisible to the log-mel distance, and the
    // least-squares gain makes it invisible to the null test.
    EXPECT_LT(report.logmel_db, 0.01) << db << " dB";
    EXPECT_GT(report.null_snr_db, 100.0) << db << " dB";
    EXPECT_NEAR(report.null_gain, 1.0 / gain, 1e-5);
  }
}

TEST(Compare, NoiseAtMinus30DbGivesA30DbNullSnr) {
  const auto signal = testing::music_like(kRate, 4 * kRate, 4);
  for (const double db : {-20.0, -30.0, -45.0}) {
    const CompareReport report = compare_ok(mono(signal), mono(add_noise_at(signal, db, 21)));
    EXPECT_EQ(report.lag_frames, 0);
    // With the least-squares gain the expected SNR is 10*log10(1 + 10^(-db/10)).
    EXPECT_NEAR(report.null_snr_db, 10.0 * std::log10(1.0 + std::pow(10.0, -db / 10.0)), 0.5);
    EXPECT_GT(report.logmel_db, 0.0);
  }
}

TEST(Compare, AlignsADelayedQuieterNoisyRender) {
  const auto signal = testing::music_like(kRate, 4 * kRate, 6);
  std::vector<float> late(441, 0.0f);  // 10 ms late
  const auto quieter = scaled(add_noise_at(signal, -30.0, 5), 0.5f);
  late.insert(late.end(), quieter.begin(), quieter.end());
  const CompareReport report = compare_ok(mono(signal), mono(late));
  EXPECT_EQ(report.lag_frames, 441);
  EXPECT_NEAR(report.lag_ms, 10.0, 1e-9);
  EXPECT_NEAR(report.level_db, 20.0 * std::log10(0.5), 0.01);
  EXPECT_NEAR(report.null_snr_db, 30.0, 0.5);
  EXPECT_DOUBLE_EQ(report.analyzed_seconds, 4.0);  // the whole reference overlaps

  // Early by the same amount.
  std::vector<float> early(signal.begin() + 441, signal.end());
  const CompareReport early_report = compare_ok(mono(signal), mono(early));
  EXPECT_EQ(early_report.lag_frames, -441);
  EXPECT_GT(early_report.null_snr_db, 100.0);
}

// y[n] = x[n] + a*(x[n] - x[n-1]): a gentle treble lift of 20*log10(1 + 2a) dB at Nyquist.
std::vector<float> treble_tilt(const std::vector<float>& x, double a) {
  std::vector<float> y(x.size());
  float previous = 0.0f;
  for (std::size_t n = 0; n < x.size(); ++n) {
    y[n] = static_cast<float>(x[n] + a * (x[n] - previous));
    previous = x[n];
  }
  return y;
}

TEST(Compare, LogMelSeesASpectralTiltButNotAGain) {
  const auto noise = testing::white_noise(3 * kRate, 0.2, 17);
  // a = 0.2: about +1.2 dB at 8 kHz and +2.5 dB at 16 kHz, ~0 below 1 kHz.
  const CompareReport tilted = compare_ok(mono(noise), mono(treble_tilt(noise, 0.2)));
  EXPECT_GT(tilted.logmel_db, 0.3);
  const CompareReport more = compare_ok(mono(noise), mono(treble_tilt(noise, 0.6)));
  EXPECT_GT(more.logmel_db, tilted.logmel_db);
  const CompareReport louder = compare_ok(mono(noise), mono(scaled(noise, 1.4125f)));  // +3 dB
  EXPECT_LT(louder.logmel_db, 0.01);
}

TEST(Compare, LogMelOfAKnownBandDifference) {
  // Two tones far apart in mel; the candidate's upper tone is 6 dB louder. After matching RMS
  // every band near a tone differs by a fixed amount, so the distance is positive and bounded.
  const auto low = testing::sine(200.0, kRate, 2 * kRate, 0.3);
  const auto high = testing::sine(5000.0, kRate, 2 * kRate, 0.3);
  std::vector<float> ref(low.size()), cand(low.size());
  for (std::size_t n = 0; n < low.size(); ++n) {
    ref[n] = low[n] + high[n];
    cand[n] = low[n] + 2.0f * high[n];
  }
  const double distance = level_matched_log_mel_distance_db(ref, cand, kRate);
  EXPECT_GT(distance, 0.5);
  EXPECT_LT(distance, 6.0);
}

TEST(Compare, DifferencesBelowTheFloorDoNotCount) {
  // The reference is a tone then digital silence; the candidate fills the silence with noise
  // 100 dB below the tone (under the 80 dB floor: invisible) or 40 dB below (visible).
  const std::size_t half = kRate;
  auto ref = testing::sine(440.0, kRate, 2 * half, 0.5);
  std::fill(ref.begin() + half, ref.end(), 0.0f);
  auto with_noise = [&](double db) {
    auto cand = ref;
    const auto noise = testing::white_noise(half, 0.5 * std::pow(10.0, db / 20.0), 3);
    for (std::size_t n = 0; n < half; ++n) cand[half + n] = noise[n];
    return cand;
  };
  EXPECT_LT(level_matched_log_mel_distance_db(ref, with_noise(-100.0), kRate), 0.05);
  EXPECT_GT(level_matched_log_mel_distance_db(ref, with_noise(-40.0), kRate), 5.0);
}

TEST(Compare, MaxSecondsLimitsTheAnalysis) {
  const auto signal = testing::white_noise(3 * kRate, 0.3, 8);
  auto different_later = signal;
  for (std::size_t n = 2 * kRate; n < different_later.size(); ++n) different_later[n] *= -1.0f;
  CompareOptions first_second;
  first_second.max_seconds = 1.0;
  const CompareReport limited = compare_ok(mono(signal), mono(different_later), first_second);
  EXPECT_GT(limited.null_snr_db, 100.0);
  EXPECT_DOUBLE_EQ(limited.analyzed_seconds, 1.0);
  EXPECT_DOUBLE_EQ(limited.ref_seconds, 3.0);  // durations describe the whole inputs

  CompareOptions everything;
  everything.max_seconds.reset();
  const CompareReport whole = compare_ok(mono(signal), mono(different_later), everything);
  EXPECT_LT(whole.null_snr_db, 10.0);
  EXPECT_DOUBLE_EQ(whole.analyzed_seconds, 3.0);
}

TEST(Compare, MonoReferenceAgainstStereoCandidate) {
  const auto signal = testing::music_like(kRate, kRate, 9);
  const CompareReport report = compare_ok(mono(signal), stereo(signal, signal));
  EXPECT_EQ(report.lag_frames, 0);
  EXPECT_EQ(report.level_db, 0.0);
  EXPECT_GT(report.null_snr_db, 100.0);
}

TEST(Compare, PeaksCoverEveryChannel) {
  std::vector<float> left(1000, 0.1f), right(1000, 0.1f);
  right[500] = -0.5f;
  const CompareReport report = compare_ok(stereo(left, right), stereo(left, left));
  EXPECT_NEAR(report.ref_peak_db, 20.0 * std::log10(0.5), 1e-6);
  EXPECT_NEAR(report.cand_peak_db, 20.0 * std::log10(0.1), 1e-6);
}

TEST(Compare, DifferentSampleRatesAreAnError) {
  const auto signal = testing::white_noise(1000, 0.3, 1);
  const auto report = compare_audio(mono(signal, 44100), mono(signal, 48000));
  ASSERT_FALSE(report.has_value());
  EXPECT_NE(report.error().message().find("sample rates differ"), std::string::npos);
}

TEST(Compare, LowSampleRateClampsTheMelRangeAndSaysSo) {
  const auto signal = testing::white_noise(22050, 0.3, 1);
  const CompareReport report = compare_ok(mono(signal, 22050), mono(signal, 22050));
  EXPECT_EQ(report.mel_max_hz, 11025.0);
  EXPECT_EQ(parse_line(format_report_line(report))["mel_max_hz"], "11025");
}

TEST(Compare, ReportLineHasStableKeysInOrder) {
  const auto signal = testing::music_like(kRate, kRate, 10);
  const CompareReport report = compare_ok(mono(signal), mono(scaled(signal, 0.5f)));
  const std::string line = format_report_line(report);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  std::vector<std::string> keys;
  std::istringstream words(line);
  std::string word;
  while (words >> word) keys.push_back(word.substr(0, word.find('=')));
  const std::vector<std::string> expected = {
      "lag_ms",     "lag_frames",  "level_db",    "logmel_db",    "null_snr_db",
      "ref_seconds", "cand_seconds", "analyzed_seconds", "ref_rms_db", "cand_rms_db",
      "ref_peak_db", "cand_peak_db", "null_gain",  "lag_corr",     "sample_rate",
      "mel_max_hz"};
  EXPECT_EQ(keys, expected);
  const auto values = parse_line(line);
  EXPECT_EQ(values.at("lag_ms"), "0.00");
  EXPECT_EQ(values.at("level_db"), "-6.02");
  EXPECT_EQ(values.at("ref_seconds"), "1.000");
  EXPECT_EQ(values.at("sample_rate"), "44100");
  EXPECT_EQ(values.at("mel_max_hz"), "16000");

  const CompareReport identical = compare_ok(mono(signal), mono(signal));
  EXPECT_EQ(parse_line(format_report_line(identical)).at("null_snr_db"), "inf");
}

TEST(Compare, FilesAreReadAndErrorsNameThem) {
  namespace fs = std::filesystem;
  const fs::path directory =
      fs::temp_directory_path() / ("tutti_compare_" + std::to_string(std::random_device{}()));
  fs::create_directories(directory);
  const auto signal = testing::music_like(kRate, kRate, 12);
  const auto ref_path = directory / "ref.wav";
  const auto cand_path = directory / "cand.wav";
  ASSERT_TRUE(write_wav_file(ref_path, stereo(signal, signal), WavSampleFormat::kPcm16));
  ASSERT_TRUE(write_wav_file(cand_path, stereo(signal, signal), WavSampleFormat::kFloat32));

  const auto report = compare_files(ref_path, cand_path);
  ASSERT_TRUE(report.has_value()) << report.error().message();
  EXPECT_EQ(report->lag_frames, 0);
  EXPECT_NEAR(report->level_db, 0.0, 0.01);
  EXPECT_GT(report->null_snr_db, 60.0);  // limited by the s16 quantisation of the reference

  // Only the first second is decoded, but the durations are the files'.
  const auto long_ref = directory / "long_ref.wav";
  const auto long_cand = directory / "long_cand.wav";
  const auto long_signal = testing::white_noise(3 * kRate, 0.2, 13);
  ASSERT_TRUE(write_wav_file(long_ref, mono(long_signal), WavSampleFormat::kFloat32));
  ASSERT_TRUE(write_wav_file(long_cand, mono(scaled(long_signal, 0.5f)), WavSampleFormat::kFloat32));
  CompareOptions first_second;
  first_second.max_seconds = 1.0;
  const auto limited = compare_files(long_ref, long_cand, first_second);
  ASSERT_TRUE(limited.has_value()) << limited.error().message();
  EXPECT_DOUBLE_EQ(limited->ref_seconds, 3.0);
  EXPECT_DOUBLE_EQ(limited->cand_seconds, 3.0);
  EXPECT_DOUBLE_EQ(limited->analyzed_seconds, 1.0);
  EXPECT_NEAR(limited->level_db, -6.02, 0.01);

  const auto missing = compare_files(ref_path, directory / "missing.wav");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("missing.wav"), std::string::npos);
  fs::remove_all(directory);
}

}  // namespace
}  // namespace tutti::analysis
