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
#include <thread>
#include <utility>
#include <vector>

#include "engine/synth/conversions.h"
#include "engine/synth/filter_gain_bound.h"
#include "engine/synth/sample_bounds.h"
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

TEST(FilterGainBounds, SharedPerRateAndEqualToAPrivateOneWhoeverAsksFirst) {
  const auto& shared = engine::synth::FilterGainBounds::shared(kRate);
  EXPECT_EQ(&shared, &engine::synth::FilterGainBounds::shared(kRate));
  EXPECT_NE(&shared, &engine::synth::FilterGainBounds::shared(48000.0));
  // Four threads ask for the same untouched tables at once; every answer is the private one's.
  const engine::synth::FilterGainBounds reference(kRate);
  const std::vector<double> qs = {7.0, 151.0, 333.0, 959.0};
  std::vector<std::vector<double>> answers(4);
  {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < answers.size(); ++t) {
      threads.emplace_back([&, t] {
        for (double q : qs) {
          for (double cents = 1500.0; cents <= 13500.0; cents += 1000.0) answers[t].push_back(shared.at(q, cents));
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  std::vector<double> expected;
  for (double q : qs) {
    for (double cents = 1500.0; cents <= 13500.0; cents += 1000.0) expected.push_back(reference.at(q, cents));
  }
  for (const auto& answer : answers) EXPECT_EQ(answer, expected);
}

TEST(SuffixBounds, CoverEveryPointAndBendFromTheIndexToTheEnd) {
  std::mt19937 random(3);
  std::vector<std::int16_t> words(5000);
  std::vector<std::uint8_t> low(5000);
  for (auto& w : words) w = static_cast<std::int16_t>(static_cast<int>(random() % 2001) - 1000);
  for (auto& b : low) b = static_cast<std::uint8_t>(random());
  words[1234] = -30000;  // one loud point, early
  const kernels::SampleData data{words.data(), low.data()};
  const kernels::PlaybackRegion region{100, 4900, 3000, 4000};
  const engine::synth::SuffixBounds bounds(data, region);
  auto point = [&](std::int64_t p) {
    p = std::clamp<std::int64_t>(p, region.start, region.end);  // as the cubic taps read past the ends
    return static_cast<double>(words[static_cast<std::size_t>(p)] * 256 + low[static_cast<std::size_t>(p)]);
  };
  auto exact_peak = [&](std::uint32_t index) {
    double peak = 0.0;
    for (std::uint32_t p = std::max(index, region.start); p <= region.end; ++p) peak = std::max(peak, std::fabs(point(p)));
    return peak;
  };
  auto exact_bend = [&](std::uint32_t index) {
    double bend = 0.0;
    for (std::int64_t p = std::max(index, region.start); p <= region.end; ++p) {
      bend = std::max(bend, std::fabs(point(p + 1) - 2 * point(p) + point(p - 1)));
    }
    return bend;
  };
  for (std::uint32_t index = 0; index <= region.end; index += 7) {
    EXPECT_GE(bounds.peak_from(index), exact_peak(index)) << index;
    EXPECT_GE(bounds.curvature_from(index), exact_bend(index)) << index;
  }
  EXPECT_EQ(bounds.peak_from(region.start), exact_peak(1234)) << "the loud point, with its low byte";
  EXPECT_LT(bounds.peak_from(1234 + engine::synth::SuffixBounds::kChunkPoints + 100), 1001.0 * 256.0)
      << "past the loud point's chunk, the loud point no longer counts";
  // The seam joins the loop's last points to its first ones.
  const auto w = [&](std::uint32_t p) { return point(p); };
  const double seam = std::max(std::fabs(w(3000) - 2 * w(3999) + w(3998)), std::fabs(w(3001) - 2 * w(3000) + w(3999)));
  EXPECT_EQ(bounds.loop_seam_curvature(), seam);
}

// At every chunk's first point the bounds are the exact maxima of what follows, for 16-bit and
// 24-bit points, whatever the region's length (down to one point) and wherever it ends in its
// last chunk: the first and last points read clamped neighbours, the rest plain ones.
void expect_exact_at_chunk_starts(const kernels::SampleData& data, const kernels::PlaybackRegion& region) {
  auto point = [&](std::int64_t p) {
    p = std::clamp<std::int64_t>(p, region.start, region.end);
    const auto i = static_cast<std::size_t>(p);
    return static_cast<double>(data.words[i] * 256 + (data.low_bytes != nullptr ? data.low_bytes[i] : 0));
  };
  const engine::synth::SuffixBounds bounds(data, region);
  constexpr std::uint32_t kChunk = engine::synth::SuffixBounds::kChunkPoints;
  for (std::uint32_t from = region.start; from <= region.end; from += kChunk) {
    double peak = 0.0, bend = 0.0;
    for (std::int64_t p = from; p <= region.end; ++p) {
      peak = std::max(peak, std::fabs(point(p)));
      bend = std::max(bend, std::fabs(point(p + 1) - 2 * point(p) + point(p - 1)));
    }
    EXPECT_EQ(bounds.peak_from(from), peak) << "region " << region.start << ".." << region.end << " from " << from;
    EXPECT_EQ(bounds.curvature_from(from), bend) << "region " << region.start << ".." << region.end << " from " << from;
  }
}

TEST(SuffixBounds, AreExactAtChunkStartsForEveryPointWidthAndLength) {
  std::mt19937 random(5);
  std::vector<std::int16_t> words(6000);
  std::vector<std::uint8_t> low(6000);
  for (auto& w : words) w = static_cast<std::int16_t>(static_cast<int>(random() % 65536) - 32768);
  for (auto& b : low) b = static_cast<std::uint8_t>(random());
  // Full-scale extremes next to each other, the largest bends the arithmetic must hold.
  words[2000] = -32768;
  words[2001] = 32767;
  words[2002] = -32768;
  low[2001] = 255;
  const std::uint8_t* no_low_bytes = nullptr;
  for (const std::uint8_t* low_bytes : {no_low_bytes, static_cast<const std::uint8_t*>(low.data())}) {
    const kernels::SampleData data{words.data(), low_bytes};
    for (const auto& [start, end] : std::vector<std::pair<std::uint32_t, std::uint32_t>>{
             {7, 7}, {7, 8}, {7, 9}, {0, 5999}, {10, 10 + 1024}, {10, 10 + 1025}, {1999, 2003}, {300, 4800}}) {
      expect_exact_at_chunk_starts(data, kernels::PlaybackRegion{start, end, start, end});
    }
  }
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
  // Cubic's overshoot is judged by the sine's bends (the peak plus an eighth of the sharpest):
  // 0.69 of the floor. Bounded by a quarter over the peak, as where bends are unknown, the
  // voice is muted about 1.6 dB later, at 0.57.
  EXPECT_GT(largest_difference, 0.62 * kFloor);
}

// One note at a time through a long release, as in the muting test above, rendered exactly and
// with coarse (linear) interpolation allowed under `floor`.
struct CoarseRenders {
  Rendered exact, coarse;
  double largest_difference = 0.0;
};
CoarseRenders render_coarse(const std::vector<float>& points, double floor, const MidiBuilder& song) {
  const auto bank = prepare_bank(single_zone_bank(points, looped(60, points.size()), [](ZoneSpec& zone) {
    zone.gen(Generator::releaseVolEnv, 2400).gen(Generator::initialFilterQ, 60);
  }));
  CoarseRenders r;
  if (bank == nullptr) return r;
  engine::render::RenderOptions options = default_options();
  r.exact = render(*bank, song, options);
  options.synth.audibility_floor = floor;
  options.synth.coarse_interpolation = true;
  r.coarse = render(*bank, song, options);
  for (std::size_t k = 0; k < std::min(r.exact.left.size(), r.coarse.left.size()); ++k) {
    r.largest_difference = std::max(r.largest_difference, std::fabs(double{r.exact.left[k]} - r.coarse.left[k]));
  }
  return r;
}

MidiBuilder one_long_note() {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 67, 127).note_off(clock.at(300), 0, 67);
  return song;
}

TEST(Audibility, CoarseVoicesStrayFromCubicByLessThanTheFloor) {
  constexpr double kFloor = 1e-4;
  const CoarseRenders smooth = render_coarse(sine_points(20, 0.8f), kFloor, one_long_note());
  ASSERT_EQ(smooth.coarse.frames(), smooth.exact.frames());
  const auto& statistics = smooth.coarse.result.statistics;
  EXPECT_GT(statistics.coarse_voice_blocks, statistics.voice_blocks / 4) << "a smooth sine goes linear early";
  EXPECT_GT(smooth.largest_difference, 0.0);
  EXPECT_LT(smooth.largest_difference, kFloor);
  // A sharp signal (white noise) is told apart from its linear rendering for longer: it goes
  // coarse later, when it is far quieter.
  const CoarseRenders sharp = render_coarse(noise_points(2000, 11, 0.8f), kFloor, one_long_note());
  EXPECT_LT(sharp.largest_difference, kFloor);
  EXPECT_LT(sharp.coarse.result.statistics.coarse_voice_blocks, statistics.coarse_voice_blocks / 2);
  // Off unless asked for.
  EXPECT_EQ(smooth.exact.result.statistics.coarse_voice_blocks, 0u);
}

TEST(Audibility, AControllerThatRaisesACoarseVoiceMakesItCubicAgain) {
  // A bright tone (10 points per cycle, 4.4 kHz: linear strays by a few percent of it) held
  // quiet enough to go coarse but not to be muted, then at full volume, where linear would stray
  // far above the floor.
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .control_change(clock.at(0), 0, 7, 5)
      .note_on(clock.at(0), 0, 67, 127)  // off the root key: positions fall between points
      .control_change(clock.at(400), 0, 7, 127)
      .note_off(clock.at(600), 0, 67);
  constexpr double kFloor = 1e-4;
  std::vector<float> bright(2000);
  for (std::size_t i = 0; i < bright.size(); ++i) bright[i] = 0.8f * static_cast<float>(std::sin(2.0 * M_PI * static_cast<double>(i) / 10.0));
  const CoarseRenders r = render_coarse(bright, kFloor, song);
  EXPECT_GT(r.coarse.result.statistics.coarse_voice_blocks, 200u) << "the quiet part went coarse";
  EXPECT_LT(r.largest_difference, kFloor);
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
