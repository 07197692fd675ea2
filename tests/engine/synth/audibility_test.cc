// Muting inaudible voices (Voice::muted, SynthSettings::audibility_floor): a voice is no longer
// rendered once nothing it can still play may reach the floor. The bound behind that decision
// must hold (every muted voice's share of every output sample is below the floor), must not be
// so loose that little is muted, and must not change anything but the audio: allocation,
// stealing and the render's length are FluidSynth's either way. A voice that a controller makes
// audible again sounds again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "engine/synth/conversions.h"
#include "engine/synth/filter_gain_bound.h"
#include "engine/synth/sample_peaks.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

// The sum of |h[n]| of the voice's low-pass at one Q and cutoff, by brute force.
double impulse_response_sum(double q_centibels, double cutoff_cents, double rate = kRate) {
  const double q_db = std::clamp(q_centibels / 10.0, 0.0, 96.0) - static_cast<double>(3.01f);
  const double q = std::pow(10.0, q_db / 20.0);
  const double hz = std::clamp(engine::synth::filter_cents_to_hz(cutoff_cents), 5.0, static_cast<double>(0.45f) * rate);
  const double omega = 2.0 * M_PI * hz / rate;
  const double alpha = std::sin(omega) / (2.0 * q);
  const double b02 = (1.0 - std::cos(omega)) / (1.0 + alpha) / std::sqrt(q) * 0.5;
  const double a1 = -2.0 * std::cos(omega) / (1.0 + alpha);
  const double a2 = (1.0 - alpha) / (1.0 + alpha);
  double x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0, sum = 0.0;
  for (int n = 0; n < 4000000; ++n) {
    const double x = n == 0 ? 1.0 : 0.0;
    const double y = b02 * (x + 2.0 * x1 + x2) - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    sum += std::fabs(y);
    if (n > 100 && std::fabs(y1) + std::fabs(y2) < 1e-13) break;
  }
  return sum;
}

TEST(FilterGainBounds, HoldEveryCutoffUpToTheHighestAndStayClose) {
  const engine::synth::FilterGainBounds bounds(kRate);
  for (double q : {0.0, 30.0, 95.5, 200.0, 300.0}) {
    double largest = 0.0;
    for (double cents = 1500.0; cents <= 13600.0; cents += 137.0) {
      const double sum = impulse_response_sum(q, cents);
      largest = std::max(largest, sum);
      EXPECT_GE(bounds.at(q, cents), largest) << "Q " << q << " cB, cutoffs up to " << cents << " cents";
    }
    // Tight enough to be worth it: within 30% of the largest sum over the whole range.
    EXPECT_LE(bounds.at(q, 13500.0), 1.3 * largest) << "Q " << q << " cB";
  }
  // High resonances fall back to a closed-form bound, which must hold too.
  for (double cents : {2000.0, 6000.0, 9000.0, 13500.0}) {
    EXPECT_GE(bounds.at(600.0, cents), impulse_response_sum(600.0, cents)) << cents;
  }
}

TEST(SuffixPeaks, CoverEveryPointFromTheIndexToTheEnd) {
  std::mt19937 random(3);
  std::vector<std::int16_t> words(5000);
  std::vector<std::uint8_t> low(5000);
  for (auto& w : words) w = static_cast<std::int16_t>(static_cast<int>(random() % 2001) - 1000);
  for (auto& b : low) b = static_cast<std::uint8_t>(random());
  words[1234] = -30000;  // one loud point, early
  const kernels::SampleData data{words.data(), low.data()};
  const std::uint32_t first = 100, last = 4900;
  const engine::synth::SuffixPeaks peaks(data, first, last);
  auto exact_from = [&](std::uint32_t index) {
    double exact = 0.0;
    for (std::uint32_t p = std::max(index, first); p <= last; ++p) {
      exact = std::max(exact, std::fabs(static_cast<double>(words[p] * 256 + low[p])));
    }
    return exact;
  };
  for (std::uint32_t index = 0; index <= last; index += 7) EXPECT_GE(peaks.from(index), exact_from(index)) << index;
  EXPECT_EQ(peaks.from(first), exact_from(1234)) << "the loud point, with its low byte";
  EXPECT_LT(peaks.from(1234 + engine::synth::SuffixPeaks::kChunkPoints + 100), 1001.0 * 256.0)
      << "past the loud point's chunk, the loud point no longer counts";
}

// A resonant, modulated instrument with long releases: tremolo, an LFO and a decaying
// modulation envelope on the cutoff, so every term of the bound matters.
Sf2Builder long_release_bank() {
  return single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), [](ZoneSpec& zone) {
    zone.gen(Generator::releaseVolEnv, 2400)  // 4 s to fall 96 dB
        .gen(Generator::initialFilterQ, 180)
        .gen(Generator::initialFilterFc, 9000)
        .gen(Generator::modEnvToFilterFc, 2400)
        .gen(Generator::decayModEnv, 0)
        .gen(Generator::releaseModEnv, 0)
        .gen(Generator::modLfoToFilterFc, 600)
        .gen(Generator::modLfoToVolume, 40)
        .gen(Generator::freqModLFO, 0);
  });
}

MidiBuilder overlapping_releases() {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  MidiTrack& track = song.track();
  for (int i = 0; i < 24; ++i) {
    const auto at = static_cast<std::uint32_t>(i * 120);
    const int key = 48 + (i * 5) % 30;
    track.note_on(clock.at(at), 0, key, 20 + (i * 29) % 100).note_off(clock.at(at + 80), 0, key);
  }
  return song;
}

TEST(Audibility, MutedVoicesMoveNoSampleByMoreThanTheFloor) {
  const auto bank = prepare_bank(long_release_bank());
  ASSERT_NE(bank, nullptr);
  const MidiBuilder song = overlapping_releases();
  engine::render::RenderOptions options = default_options();
  const Rendered exact = render(*bank, song, options);
  // A floor high above the 16-bit one, so that a short song mutes much of its releases.
  constexpr double kFloor = 1e-4;
  options.synth.audibility_floor = kFloor;
  const Rendered muted = render(*bank, song, options);

  const auto& with = muted.result.statistics;
  const auto& without = exact.result.statistics;
  EXPECT_EQ(without.muted_voice_blocks, 0u);
  EXPECT_GT(with.muted_voice_blocks, with.voice_blocks / 4) << "the bound is too loose to mute much";
  // Only the audio changes: which voices play, for how long, and the render's length do not.
  EXPECT_EQ(with.voice_blocks, without.voice_blocks);
  EXPECT_EQ(with.voices_started, without.voices_started);
  EXPECT_EQ(with.voices_stolen, without.voices_stolen);
  EXPECT_EQ(with.peak_voices, without.peak_voices);
  ASSERT_EQ(muted.frames(), exact.frames());
  ASSERT_GT(exact.result.peak, 0.02);

  // Each muted voice's share of a sample is below the floor, and no more voices than ever sound
  // together can be muted at once.
  double largest_difference = 0.0;
  for (std::int64_t i = 0; i < exact.frames(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    largest_difference = std::max({largest_difference, std::fabs(double{exact.left[k]} - muted.left[k]),
                                   std::fabs(double{exact.right[k]} - muted.right[k])});
  }
  EXPECT_GT(largest_difference, 0.0) << "nothing was muted";
  EXPECT_LE(largest_difference, kFloor * with.peak_voices);
}

TEST(Audibility, AVoiceIsMutedBelowTheFloorAndNotMuchLater) {
  // One voice at a time, with its sine at the resonance of its filter: the bound is within a
  // few dB of the real level here, so a bound too low shows as a difference above the floor,
  // one too loose as none near it.
  const auto bank = prepare_bank(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), [](ZoneSpec& zone) {
    zone.gen(Generator::releaseVolEnv, 2400).gen(Generator::initialFilterQ, 180).gen(Generator::initialFilterFc, 6900);
  }));
  ASSERT_NE(bank, nullptr);
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 127).note_off(clock.at(200), 0, 60);
  engine::render::RenderOptions options = default_options();
  const Rendered exact = render(*bank, song, options);
  constexpr double kFloor = 1e-4;
  options.synth.audibility_floor = kFloor;
  const Rendered muted = render(*bank, song, options);
  ASSERT_EQ(muted.frames(), exact.frames());
  double largest_difference = 0.0;
  for (std::size_t k = 0; k < exact.left.size(); ++k) {
    largest_difference = std::max(largest_difference, std::fabs(double{exact.left[k]} - muted.left[k]));
  }
  EXPECT_LT(largest_difference, kFloor);
  EXPECT_GT(largest_difference, kFloor / 8);
}

TEST(Audibility, AVoiceAControllerMakesAudibleSoundsAgain) {
  const auto bank = prepare_bank(single_zone_bank(sine_points(), looped(60, 2000)));
  ASSERT_NE(bank, nullptr);
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  // Held at channel volume 1 (about -80 dB below full) for half a second, then at full volume.
  song.track()
      .control_change(clock.at(0), 0, 7, 1)
      .note_on(clock.at(0), 0, 60, 100)
      .control_change(clock.at(500), 0, 7, 127)
      .note_off(clock.at(1000), 0, 60);
  engine::render::RenderOptions options = default_options();
  const Rendered exact = render(*bank, song, options);
  options.synth.audibility_floor = 1e-4;
  const Rendered muted = render(*bank, song, options);
  EXPECT_GT(muted.result.statistics.muted_voice_blocks, 100u) << "the quiet note was not muted";
  ASSERT_EQ(muted.frames(), exact.frames());

  const std::int64_t loud = audible_frame(500) + 2 * kBlock;
  const std::int64_t end = audible_frame(1000);
  double peak = 0.0, largest_difference = 0.0;
  for (std::int64_t i = loud; i < end; ++i) {
    const auto k = static_cast<std::size_t>(i);
    peak = std::max(peak, std::fabs(double{exact.left[k]}));
    largest_difference = std::max(largest_difference, std::fabs(double{exact.left[k]} - muted.left[k]));
  }
  EXPECT_GT(peak, 0.05);
  // Its filter restarts from rest: a transient on the order of the floor, nothing audible.
  EXPECT_LE(largest_difference, 1e-4);
}

}  // namespace
}  // namespace tutti::test
