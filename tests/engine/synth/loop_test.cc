// Sample loops (SF2 2.04 8.1.2 #54 sampleModes, 7.10 loop points): a seamless loop plays
// without a discontinuity at its seam, for every interpolation and pitch ratio; mode 0 plays
// the sample once, mode 1 loops for the whole note including its release, mode 3 loops while
// the key is held and then plays on to the sample's end.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"
#include "tools/analysis/levels.h"

namespace tutti::test {
namespace {

using kernels::Interpolation;

const char* name_of(Interpolation mode) {
  switch (mode) {
    case Interpolation::none: return "none";
    case Interpolation::linear: return "linear";
    case Interpolation::cubic: return "cubic";
  }
  return "?";
}

struct SeamMeasurement {
  double largest_step = 0.0;
  double bound = 0.0;  // the largest step the rendered sine itself can take
};

// Renders a 300 ms note of a sine sample (100 points per cycle) whose loop is [100, loop_end)
// and compares the largest frame-to-frame step of the steady part with the largest step of a
// sine of the measured amplitude at the played frequency. Without interpolation a frame can
// move by up to ceil(ratio) sample points, so the bound uses that step instead.
SeamMeasurement measure_seam(Interpolation mode, int key, std::uint32_t loop_end) {
  SampleOptions options;
  options.root_key = 60;
  options.loop_start = 100;
  options.loop_end = loop_end;
  const Sf2Builder bank = single_zone_bank(sine_points(20), options);
  engine::render::RenderOptions render_options = default_options();
  render_options.synth.interpolation = mode;
  const Rendered out = render(bank, single_note_song(key, 127, 0, 300), render_options);
  // From the third block (attack and pan ramps done) to the block before the note-off.
  const std::int64_t first = audible_frame(0) + 2 * kBlock;
  const std::int64_t last = audible_frame(300) - kBlock;
  const std::span<const float> steady = out.left_span(first, last - first);
  const double amplitude = analysis::peak(steady);
  const double ratio = std::pow(2.0, (key - 60) / 12.0);
  const double points_per_frame = mode == Interpolation::none ? std::ceil(ratio) : ratio;
  // Interpolation adds a little. Without interpolation the output is a staircase, and the
  // voice's always-on low-pass (0.45 x the sample rate, COMPAT.md 7) rings on its steps by up
  // to about 10%. A seam error adds far more (see ABrokenLoopIsDetected).
  const double margin = mode == Interpolation::none ? 1.15 : 1.02;
  SeamMeasurement m;
  m.largest_step = largest_step(steady);
  m.bound = margin * 2.0 * amplitude * std::sin(std::numbers::pi * points_per_frame / kSinePeriod);
  return m;
}

TEST(LoopSeam, NoDiscontinuityForAnyInterpolationOrPitch) {
  // 19 whole cycles loop seamlessly; keys from a ratio of 0.37 to 8 wrap the loop at every
  // possible fraction of a point.
  for (Interpolation mode : {Interpolation::none, Interpolation::linear, Interpolation::cubic}) {
    for (int key : {43, 60, 67, 77, 96}) {
      const SeamMeasurement m = measure_seam(mode, key, 2000);
      report(std::string(name_of(mode)) + " key " + std::to_string(key) + ": largest step / sine's largest step",
             m.largest_step / m.bound, "");
      EXPECT_LE(m.largest_step, m.bound) << name_of(mode) << " interpolation, key " << key;
    }
  }
}

TEST(LoopSeam, ABrokenLoopIsDetected) {
  // The control for the test above: a loop 3 points short of whole cycles has a seam the
  // measurement must see (several times the sine's largest step).
  const SeamMeasurement m = measure_seam(Interpolation::none, 60, 1997);
  report("broken loop: largest step / sine's largest step", m.largest_step / m.bound, "");
  EXPECT_GT(m.largest_step, 2.5 * m.bound);
}

// Lead-in (1 cycle at 441 Hz), loop (10 cycles at 441 Hz, points 100..1099), tail (20 cycles
// at 882 Hz, points 1100..2099). At the root key: 441 Hz while looping, 882 Hz in the tail.
constexpr std::int64_t kLoopEnd = 1100;
constexpr std::int64_t kSampleEnd = 2100;

Sf2Builder loop_mode_bank(int sample_mode, int release_timecents) {
  std::vector<float> points = sine_points(11);
  const std::vector<float> tail = sine_loop(20, 50, 0.5f);
  points.insert(points.end(), tail.begin(), tail.end());
  SampleOptions options;
  options.root_key = 60;
  options.loop_start = 100;
  options.loop_end = kLoopEnd;
  return single_zone_bank(points, options, [sample_mode, release_timecents](ZoneSpec& z) {
    z.gen(Generator::sampleModes, sample_mode).gen(Generator::releaseVolEnv, release_timecents);
  });
}

// 441 Hz and 882 Hz both complete whole cycles in 100 frames: windows of multiples of 100
// frames separate them exactly.
double amplitude_441(std::span<const float> x) { return tone_amplitude(x, kSineHz); }
double amplitude_882(std::span<const float> x) { return tone_amplitude(x, 2.0 * kSineHz); }

// In every 500-frame chunk of [first, first + frames), the 882 Hz tail is at least 26 dB below
// the 441 Hz loop: the voice is still in the loop. (Were the tail playing, it would dominate its
// chunk; the release's decay alone leaks about 1% of the loop's level into the 882 Hz bin.)
void expect_only_the_loop(const Rendered& out, std::int64_t first, std::int64_t frames) {
  for (std::int64_t at = first; at + 500 <= first + frames; at += 500) {
    const std::span<const float> chunk = out.left_span(at, 500);
    EXPECT_LT(amplitude_882(chunk), 0.05 * amplitude_441(chunk)) << "frames " << at << "..." << at + 500;
  }
}

void expect_plays_once(int sample_mode) {
  const Rendered out = render(loop_mode_bank(sample_mode, -12000), single_note_song(60, 127, 0, 300));
  const std::int64_t onset = audible_frame(0);
  const std::int64_t last = last_above(out.left, 0.0);
  // The sample's last point is played at frame onset + 2099, however long the key is held.
  EXPECT_NEAR(static_cast<double>(last), static_cast<double>(onset + kSampleEnd - 1), 2.0) << "mode " << sample_mode;
  const double loop_level = amplitude_441(out.left_span(onset + 500, 500));
  const double tail_level = amplitude_882(out.left_span(onset + kLoopEnd, 1000));
  EXPECT_NEAR(tail_level / loop_level, 1.0, 0.05) << "the tail after the loop end is played";
}

TEST(SampleModes, UnloopedPlaysTheSampleOnceAndStops) { expect_plays_once(0); }

TEST(SampleModes, ModeTwoPlaysUnloopedAsFluidSynthDoes) { expect_plays_once(2); }

TEST(SampleModes, ContinuousLoopSoundsThroughTheRelease) {
  // Release -2786 timecents = 0.2 s; the note is held for 300 ms.
  const Rendered out = render(loop_mode_bank(1, -2786), single_note_song(60, 127, 0, 300));
  const std::int64_t onset = audible_frame(0);
  const std::int64_t note_off = audible_frame(300);
  const double held = amplitude_441(out.left_span(onset + 10000, 3000));
  ASSERT_GT(held, 0.0);
  // The release follows the loop; the tail is never reached.
  // 1500 frames into the release the loop still plays, 96 dB * 1500 / 8820 down.
  const double in_release = amplitude_441(out.left_span(note_off + 1250, 500));
  EXPECT_NEAR(to_db(in_release / held), -96.0 * 1500.0 / 8820.0, 0.5);
  expect_only_the_loop(out, onset + kLoopEnd, note_off - onset - kLoopEnd);
  expect_only_the_loop(out, note_off, 4000);
  EXPECT_NEAR(static_cast<double>(last_above(out.left, 0.0) - note_off), 0.2 * kRate, 2.0 * kBlock);
}

TEST(SampleModes, LoopUntilReleaseThenPlaysToTheSampleEnd) {
  // A 1 s release, but the voice leaves the loop at the note-off and ends with the sample:
  // within one loop pass plus the tail (2000 frames) of the note-off.
  const Rendered out = render(loop_mode_bank(3, 0), single_note_song(60, 127, 0, 300));
  const std::int64_t onset = audible_frame(0);
  const std::int64_t note_off = audible_frame(300);
  const double held = amplitude_441(out.left_span(onset + 10000, 3000));
  ASSERT_GT(held, 0.0);
  expect_only_the_loop(out, onset + kLoopEnd, note_off - onset - kLoopEnd);
  const std::int64_t last = last_above(out.left, 0.0);
  EXPECT_GE(last, note_off + (kSampleEnd - kLoopEnd) - 1);
  EXPECT_LE(last, note_off + (kSampleEnd - 100) + 1);
  // The last 1000 frames are the tail, at most 2000 frames (about 4 dB) into the release.
  const std::span<const float> tail = out.left_span(last - 999, 1000);
  EXPECT_GT(amplitude_882(tail), 0.5 * held);
  EXPECT_LT(amplitude_441(tail), 0.05 * amplitude_882(tail));
}

}  // namespace
}  // namespace tutti::test
