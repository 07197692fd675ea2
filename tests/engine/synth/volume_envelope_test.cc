// The volume envelope (SF2 2.04 8.1.2 #33-#40, 9.1.7): delay, attack, hold, decay to the
// sustain level and release take their times from timecents (2^(tc/1200) s), within one
// 64-frame block (the envelope advances once per block, as in FluidSynth); the attack is linear
// in amplitude, decay and release linear in dB over 96 dB; keynumToVolEnvHold/Decay scale hold
// and decay by 2^(amount * (60 - key) / 1200). Read frame by frame from a constant sample.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

constexpr double kOneBlock = static_cast<double>(kBlock);

double seconds_of(int timecents) { return std::pow(2.0, timecents / 1200.0); }

struct EnvelopeRender {
  Rendered out;
  std::int64_t onset = 0;     // frame at which the note-on is heard
  std::int64_t note_off = 0;  // frame at which the note-off is heard
  double full = 0.0;          // the level at the envelope's peak, read where it is steady
  double level(std::int64_t frame) const { return std::fabs(out.left[static_cast<std::size_t>(frame)]); }
  double db(std::int64_t frame) const { return to_db(level(frame) / full); }
  // The first frame at or after `from` whose level is below `fraction` of the peak.
  std::int64_t first_below(std::int64_t from, double fraction) const {
    for (std::int64_t i = from; i < out.frames(); ++i) {
      if (level(i) < fraction * full) return i;
    }
    return -1;
  }
  std::int64_t first_at_least(std::int64_t from, double fraction) const {
    for (std::int64_t i = from; i < out.frames(); ++i) {
      if (level(i) >= fraction * full) return i;
    }
    return -1;
  }
};

// `peak_frame`: frames after the onset where the envelope is steady at its peak; negative
// counts back from the note-off. (Not the signal's maximum: the voice's low-pass overshoots a
// little where the envelope bends.)
EnvelopeRender render_envelope(const ZoneEdit& envelope, int key, std::uint32_t off_ms, std::int64_t peak_frame = -1) {
  EnvelopeRender r;
  r.out = render(single_zone_bank(dc_points(), looped(60, 2000), envelope), single_note_song(key, 127, 0, off_ms));
  r.onset = audible_frame(0);
  r.note_off = audible_frame(off_ms);
  const std::int64_t at = peak_frame >= 0 ? r.onset + peak_frame : r.note_off + peak_frame;
  if (at > 0 && at < r.out.frames()) r.full = r.level(at);
  return r;
}

// From the end of the attack to the start of the decay, in frames. The low-pass rings for a few
// frames after the attack's corner, hence the 0.1% thresholds and the two blocks skipped.
double hold_duration(const EnvelopeRender& r) {
  const std::int64_t peak_reached = r.first_at_least(r.onset, 0.999);
  return static_cast<double>(r.first_below(peak_reached + 2 * kBlock, 0.999) - peak_reached);
}

TEST(VolumeEnvelope, DelayKeepsTheNoteSilentForItsTime) {
  constexpr int kDelay = -2400;  // 0.25 s
  const EnvelopeRender r = render_envelope([](ZoneSpec& z) { z.gen(Generator::delayVolEnv, kDelay); }, 60, 500);
  ASSERT_GT(r.full, 0.0);
  const std::int64_t first_sound = first_above(r.out.left, 0.0);
  const double delay_frames = static_cast<double>(first_sound - r.onset);
  report("delay 0.25 s: silent for", delay_frames, "frames");
  EXPECT_NEAR(delay_frames, seconds_of(kDelay) * kRate, kOneBlock);
}

TEST(VolumeEnvelope, AttackRisesLinearlyOverItsTime) {
  constexpr int kAttack = -2786;  // 0.2 s
  const EnvelopeRender r = render_envelope([](ZoneSpec& z) { z.gen(Generator::attackVolEnv, kAttack); }, 60, 500);
  ASSERT_GT(r.full, 0.0);
  const double attack_frames = static_cast<double>(r.first_at_least(r.onset, 0.9999) - r.onset);
  report("attack 0.2 s: reaches the peak after", attack_frames, "frames");
  EXPECT_NEAR(attack_frames, seconds_of(kAttack) * kRate, kOneBlock);
  // Linear in amplitude: half way through, half the level (to within a block's worth).
  const double half = r.level(r.onset + static_cast<std::int64_t>(seconds_of(kAttack) * kRate / 2)) / r.full;
  report("attack: level at half time", half, "of peak");
  EXPECT_NEAR(half, 0.5, kOneBlock / (seconds_of(kAttack) * kRate));
}

TEST(VolumeEnvelope, HoldKeepsThePeakForItsTime) {
  constexpr int kHold = -1200;  // 0.5 s
  const EnvelopeRender r = render_envelope(
      [](ZoneSpec& z) {
        z.gen(Generator::holdVolEnv, kHold).gen(Generator::decayVolEnv, -3986).gen(Generator::sustainVolEnv, 500);
      },
      60, 900, 1000);
  ASSERT_GT(r.full, 0.0);
  const double hold_frames = hold_duration(r);
  report("hold 0.5 s: peak kept for", hold_frames, "frames");
  EXPECT_NEAR(hold_frames, seconds_of(kHold) * kRate, kOneBlock);
}

TEST(VolumeEnvelope, DecayFallsToTheSustainLevelOnFluidSynthsScale) {
  // Decay of 1 s for the full 96 dB, sustain 500 cB. FluidSynth (and tutti) read sustainVolEnv
  // on the envelope's 96 dB scale, 1000 = 96 dB: 500 cB is a 48 dB decrease, reached after
  // half the decay time. A 0.1 s hold shows the peak level.
  constexpr int kDecay = 0;
  constexpr int kSustain = 500;
  const EnvelopeRender r = render_envelope(
      [](ZoneSpec& z) {
        z.gen(Generator::holdVolEnv, -3986).gen(Generator::decayVolEnv, kDecay).gen(Generator::sustainVolEnv, kSustain);
      },
      60, 1500, 1000);
  ASSERT_GT(r.full, 0.0);
  const double sustain_db = r.db(r.note_off - 100);
  report("sustain 500 cB: level", sustain_db, "dB");
  EXPECT_NEAR(sustain_db, -0.096 * kSustain, 0.05);
  const std::int64_t decay_start = r.first_below(r.onset + 1000, 0.9999);
  const std::int64_t at_sustain = r.first_below(decay_start, 1.0001 * r.level(r.note_off - 100) / r.full);
  const double decay_frames = static_cast<double>(at_sustain - decay_start);
  report("decay 1 s to -48 dB took", decay_frames, "frames");
  EXPECT_NEAR(decay_frames, 0.5 * seconds_of(kDecay) * kRate, kOneBlock);
  // Linear in dB: a quarter of the way, a quarter of 96 dB.
  const double quarter_db = r.db(decay_start + static_cast<std::int64_t>(0.25 * seconds_of(kDecay) * kRate));
  EXPECT_NEAR(quarter_db, -24.0, 0.2);
}

TEST(VolumeEnvelope, ReleaseFallsNinetySixDecibelsInTheReleaseTime) {
  constexpr int kRelease = 0;  // 1 s
  const EnvelopeRender r = render_envelope([](ZoneSpec& z) { z.gen(Generator::releaseVolEnv, kRelease); }, 60, 300);
  ASSERT_GT(r.full, 0.0);
  EXPECT_NEAR(r.db(r.note_off - 1), 0.0, 0.01) << "full level until the note-off is heard";
  const double quarter_db = r.db(r.note_off + static_cast<std::int64_t>(0.25 * kRate));
  const double half_db = r.db(r.note_off + static_cast<std::int64_t>(0.5 * kRate));
  report("release 1 s: level after 0.25 s", quarter_db, "dB");
  report("release 1 s: level after 0.5 s", half_db, "dB");
  EXPECT_NEAR(quarter_db, -24.0, 0.2);
  EXPECT_NEAR(half_db, -48.0, 0.2);
  const double release_frames = static_cast<double>(last_above(r.out.left, 0.0) - r.note_off);
  report("release 1 s: voice ended after", release_frames, "frames");
  EXPECT_NEAR(release_frames, seconds_of(kRelease) * kRate, 2.0 * kOneBlock);
}

// Hold or decay duration for `key`, in frames.
double hold_frames_for_key(int key) {
  const EnvelopeRender r = render_envelope(
      [](ZoneSpec& z) {
        z.gen(Generator::holdVolEnv, -1200)
            .gen(Generator::keynumToVolEnvHold, 100)
            .gen(Generator::decayVolEnv, -3986)
            .gen(Generator::sustainVolEnv, 500);
      },
      key, 1500, 1000);
  return hold_duration(r);
}

TEST(VolumeEnvelope, KeynumToHoldScalesTheHoldTime) {
  // 100 timecents per key: an octave up halves the 0.5 s hold, an octave down doubles it.
  const double base = seconds_of(-1200) * kRate;
  for (const auto& [key, factor] : {std::pair{60, 1.0}, std::pair{72, 0.5}, std::pair{48, 2.0}}) {
    const double frames = hold_frames_for_key(key);
    report("hold at key " + std::to_string(key), frames, "frames");
    EXPECT_NEAR(frames, factor * base, kOneBlock) << "key " << key;
  }
}

double decay_to_sustain_frames_for_key(int key) {
  const EnvelopeRender r = render_envelope(
      [](ZoneSpec& z) {
        z.gen(Generator::holdVolEnv, -3986)
            .gen(Generator::decayVolEnv, 0)
            .gen(Generator::keynumToVolEnvDecay, 50)
            .gen(Generator::sustainVolEnv, 500);
      },
      key, 2000, 1000);
  // Timed between -6 dB and -42 dB, inside the straight part of the ramp, and scaled to the
  // 48 dB to the sustain level: the ramp's ends are steps of whole centibels (the first decay
  // block may not change the level at all, the last lands on the sustain), which would put up
  // to a block of quantisation on each end of the measurement.
  const std::int64_t at_6_db = r.first_below(r.onset + 1000, std::pow(10.0, -6.0 / 20.0));
  const std::int64_t at_42_db = r.first_below(at_6_db, std::pow(10.0, -42.0 / 20.0));
  return static_cast<double>(at_42_db - at_6_db) * 48.0 / 36.0;
}

TEST(VolumeEnvelope, KeynumToDecayScalesTheDecayTime) {
  // 50 timecents per key: key 72 decays 2^(-600/1200) times as long as key 60, key 48
  // 2^(600/1200) times. To a 48 dB sustain the decay takes half its full-range time.
  const double base = 0.5 * seconds_of(0) * kRate;
  for (const auto& [key, factor] : {std::pair{60, 1.0}, std::pair{72, std::sqrt(0.5)}, std::pair{48, std::sqrt(2.0)}}) {
    const double frames = decay_to_sustain_frames_for_key(key);
    report("decay to sustain at key " + std::to_string(key), frames, "frames");
    EXPECT_NEAR(frames, factor * base, kOneBlock) << "key " << key;
  }
}

}  // namespace
}  // namespace tutti::test
