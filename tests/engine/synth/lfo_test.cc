// The two SF2 LFOs (SF2 2.04 8.1.2 #5-#13, #21-#24): triangles starting at 0 and rising, in
// absolute-cent frequencies, after their delays in timecents, stepped once per 64-frame block.
// The vibrato LFO reaches pitch only; the modulation LFO pitch, filter cutoff and volume. Pitch
// is traced by FFT over short windows of a 1764 Hz tone; volume on the DC probe.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tests/engine/synth/level_probe.h"
#include "tests/engine/synth/lowpass_response.h"

namespace tutti::test {
namespace {

constexpr int kKey = 84;                   // two octaves above the 441 Hz root
constexpr double kToneHz = 4.0 * kSineHz;  // 1764 Hz
constexpr std::size_t kWindow = 512;       // 8 blocks: the pitch moves little inside one
constexpr std::size_t kHop = 64;

// Absolute cents of an LFO frequency (0 cents = 8.176 Hz).
int lfo_cents(double hz) { return static_cast<int>(std::lround(1200.0 * std::log2(hz / 8.176))); }
double lfo_hz(int cents) { return 8.176 * std::pow(2.0, cents / 1200.0); }

struct Swing {
  double highest = -std::numeric_limits<double>::infinity();
  double lowest = std::numeric_limits<double>::infinity();
  double first_peak_seconds = -1.0;  // first local maximum of the trace
  double period_seconds = -1.0;      // between the first two maxima
  double still_until_seconds = 0.0;  // the trace stays within 0.5 of its start until then
};

Swing swing_of(const std::vector<PitchPoint>& trace) {
  Swing swing;
  std::vector<double> peaks;
  for (const PitchPoint& p : trace) {
    swing.highest = std::max(swing.highest, p.cents);
    swing.lowest = std::min(swing.lowest, p.cents);
  }
  // Maxima count only above half the whole trace's highest value, so the measurement's
  // hundredth-of-a-cent ripple during the delay is not taken for a peak.
  for (std::size_t i = 1; i + 1 < trace.size(); ++i) {
    if (trace[i].cents > trace[i - 1].cents &&
        trace[i].cents >= trace[i + 1].cents && trace[i].cents > 0.5 * swing.highest &&
        (peaks.empty() || trace[i].seconds - peaks.back() > 0.05)) {
      peaks.push_back(trace[i].seconds);
    }
  }
  if (!peaks.empty()) swing.first_peak_seconds = peaks[0];
  if (peaks.size() >= 2) swing.period_seconds = peaks[1] - peaks[0];
  for (const PitchPoint& p : trace) {
    if (std::fabs(p.cents - trace.front().cents) > 0.5) break;
    swing.still_until_seconds = p.seconds;
  }
  return swing;
}

// The pitch of key 84 over the first 1.2 s of a note, relative to 1764 Hz; times from the
// note's first audible frame.
std::vector<PitchPoint> pitch_over_time(const ZoneEdit& instrument) {
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), instrument);
  const Rendered out = render(bank, single_note_song(kKey, 100, 0, 1300));
  return pitch_trace(out.left_span(audible_frame(0), 52920), kToneHz, kWindow, kHop);
}

void expect_pitch_lfo(Generator depth, Generator frequency, Generator delay) {
  const double hz = 2.0;
  const ZoneEdit edit = [&](ZoneSpec& z) {
    z.gen(depth, 100).gen(frequency, lfo_cents(hz)).gen(delay, -1200);  // 0.5 s delay
  };
  const Swing swing = swing_of(pitch_over_time(edit));
  const double delay_seconds = 0.5;
  const double period = 1.0 / lfo_hz(lfo_cents(hz));
  report("peak pitch", swing.highest, "cents");
  report("lowest pitch", swing.lowest, "cents");
  report("period", swing.period_seconds, "s");
  report("first peak", swing.first_peak_seconds, "s");
  report("flat until", swing.still_until_seconds, "s");
  // Half a window of averaging rounds the triangle's tips by about 2 cents.
  EXPECT_NEAR(swing.highest, 100.0, 4.0);
  EXPECT_NEAR(swing.lowest, -100.0, 4.0);
  EXPECT_NEAR(swing.period_seconds, period, 0.01);
  // Rising first: the first extreme after the delay is the maximum, a quarter period later.
  EXPECT_NEAR(swing.first_peak_seconds, delay_seconds + period / 4.0, 0.01);
  // Flat during the delay (the trace's windows reach half a window ahead).
  EXPECT_NEAR(swing.still_until_seconds, delay_seconds - kWindow / kRate / 2.0, 0.01);
}

TEST(VibratoLfo, ModulatesPitchByItsDepthAtItsFrequencyAfterItsDelay) {
  expect_pitch_lfo(Generator::vibLfoToPitch, Generator::freqVibLFO, Generator::delayVibLFO);
}

TEST(ModulationLfo, ModulatesPitchByItsDepthAtItsFrequencyAfterItsDelay) {
  expect_pitch_lfo(Generator::modLfoToPitch, Generator::freqModLFO, Generator::delayModLFO);
}

TEST(ModulationLfo, VibratoAndModulationLfosAreIndependent) {
  // The modulation LFO's depth does not move the vibrato LFO's pitch: a mod LFO aimed at
  // volume only leaves the pitch flat.
  const Swing swing = swing_of(pitch_over_time([](ZoneSpec& z) {
    z.gen(Generator::modLfoToVolume, 100).gen(Generator::freqModLFO, lfo_cents(4.0));
  }));
  EXPECT_LT(swing.highest - swing.lowest, 0.5);
}

// Per-block levels of the DC probe over 1.2 s.
std::vector<double> block_levels(const ZoneEdit& instrument) {
  const Rendered out = render(dc_bank(instrument), single_note_song(60, 127, 0, 1300));
  std::vector<double> levels;
  for (std::int64_t block = 0; block < 52920 / kBlock; ++block) {
    levels.push_back(mean_magnitude(out.left_span(audible_frame(0) + block * kBlock, kBlock)));
  }
  return levels;
}

TEST(ModulationLfo, VolumeDepthOnlyAttenuatesAsFluidSynthDoes) {
  // modLfoToVolume 60 cB: at the LFO's negative peak the note is 6 dB down; at its positive
  // peak FluidSynth's attenuation cannot go below 0 cB, so a note at full level gets no louder.
  const std::vector<double> plain = block_levels({});
  const std::vector<double> wobble = block_levels([](ZoneSpec& z) {
    z.gen(Generator::modLfoToVolume, 60).gen(Generator::freqModLFO, lfo_cents(2.0));
  });
  ASSERT_EQ(plain.size(), wobble.size());
  const double reference = plain[plain.size() / 2];
  ASSERT_GT(reference, 0.0);
  double loudest = 0.0, quietest = 1e9;
  for (std::size_t b = 20; b < wobble.size(); ++b) {
    loudest = std::max(loudest, wobble[b]);
    quietest = std::min(quietest, wobble[b]);
  }
  report("mod LFO to volume 60 cB: loudest", to_db(loudest / reference), "dB");
  report("mod LFO to volume 60 cB: quietest", to_db(quietest / reference), "dB");
  EXPECT_NEAR(to_db(loudest / reference), 0.0, 0.02);
  EXPECT_NEAR(to_db(quietest / reference), -6.0, 0.15);
}

TEST(ModulationLfo, VolumeDepthCannotLiftAnAttenuatedNoteAsFluidSynthDoes) {
  // FluidSynth applies the zone's attenuation and the LFO's as separate gain factors, each
  // clamped at 0 cB, so even with 10 dB of attenuation to spare the positive half of the LFO
  // adds nothing (checked against the fluidsynth CLI in tests/parity, case
  // modulation_lfo_on_an_attenuated_note); the negative half still takes 6 dB off.
  const ZoneEdit quiet = [](ZoneSpec& z) { z.gen(Generator::initialAttenuation, 250); };  // 100 cB
  const std::vector<double> plain = block_levels(quiet);
  const std::vector<double> wobble = block_levels([&](ZoneSpec& z) {
    quiet(z);
    z.gen(Generator::modLfoToVolume, 60).gen(Generator::freqModLFO, lfo_cents(2.0));
  });
  const double reference = plain[plain.size() / 2];
  ASSERT_GT(reference, 0.0);
  const double loudest = *std::max_element(wobble.begin() + 20, wobble.end());
  const double quietest = *std::min_element(wobble.begin() + 20, wobble.end());
  report("mod LFO to volume 60 cB on a -10 dB note: loudest", to_db(loudest / reference), "dB");
  report("mod LFO to volume 60 cB on a -10 dB note: quietest", to_db(quietest / reference), "dB");
  EXPECT_NEAR(to_db(loudest / reference), 0.0, 0.02);
  EXPECT_NEAR(to_db(quietest / reference), -6.0, 0.15);
}

TEST(ModulationLfo, ModulatesTheFilterCutoff) {
  // Fc 440 Hz, Q 0, swept +-1200 cents at 1 Hz: the 441 Hz tone moves between the response of
  // a 220 Hz and an 880 Hz cutoff.
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), [](ZoneSpec& z) {
    z.gen(Generator::initialFilterFc, 6900).gen(Generator::modLfoToFilterFc, 1200)
        .gen(Generator::freqModLFO, lfo_cents(1.0));
  });
  const Rendered out = render(bank, single_note_song(60, 127, 0, 1600));
  double loudest = 0.0, quietest = 1e9;
  for (std::int64_t at = audible_frame(0); at + 1100 < audible_frame(1500); at += 100) {
    const double level = tone_amplitude(out.left_span(at, 1100), kSineHz);  // 11 cycles
    loudest = std::max(loudest, level);
    quietest = std::min(quietest, level);
  }
  ASSERT_GT(quietest, 0.0);
  const double measured = to_db(loudest / quietest);
  const double expected = lowpass_gain_db(kSineHz, 8100, 0) - lowpass_gain_db(kSineHz, 5700, 0);
  report("mod LFO to filter +-1200 cents: level swing (expected " + std::to_string(expected) + ")",
         measured, "dB");
  // 25 ms windows round the triangle's tips a little.
  EXPECT_NEAR(measured, expected, 0.5);
}

}  // namespace
}  // namespace tutti::test
