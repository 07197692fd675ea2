#include "tests/kernels/lane_inputs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "kernels/oscillator.h"
#include "kernels/oscillator_lane_setup.h"

namespace tutti::kernels::test {

namespace {

int uniform(std::mt19937& random, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(random);
}
double uniform_real(std::mt19937& random, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(random);
}
bool chance(std::mt19937& random, double probability) {
  return std::bernoulli_distribution(probability)(random);
}

// The point the interpolation reads for a frame's phase (nearest for `none`).
std::uint32_t played_index(Phase phase, bool nearest) {
  return phase_index(phase + (nearest ? (Phase{1} << 31) : 0));
}

// A random region, and whether the lane loops and has looped already.
const PlaybackRegion& start_lane(const TestSampleData& samples, OscillatorBlock& block, std::mt19937& random) {
  const PlaybackRegion& region =
      samples.regions[static_cast<std::size_t>(uniform(random, 0, static_cast<int>(samples.regions.size()) - 1))];
  block.looping = chance(random, 0.7);
  block.has_looped = block.looping && chance(random, 0.4);
  return region;
}

// The lane's position wrapped into the loop, a gain ramp, and its frames: a voice that does
// not loop ends at its last point, and the engine never asks for more.
void finish_lane(OscillatorCase& c, int lane, const PlaybackRegion& region, int frames, bool nearest,
                 std::mt19937& random) {
  OscillatorBlock& block = c.blocks[lane];
  if (block.looping) block.phase = wrap_phase(block.phase, region, true, nearest).phase;
  block.gain = static_cast<float>(uniform_real(random, 0.0, 1.0));
  block.gain_step = static_cast<float>(uniform_real(random, -1.0, 1.0)) * block.gain / kBlockFrames;
  int lane_frames = frames;
  if (!block.looping) {
    while (lane_frames > 1 &&
           played_index(block.phase + static_cast<Phase>(lane_frames - 1) * block.increment, nearest) > region.end) {
      --lane_frames;
    }
    if (played_index(block.phase, nearest) > region.end) block.phase = Phase{region.start} << 32;
  }
  block.frames = lane_frames;
  c.regions[lane] = region;
  c.lanes.block[lane] = &c.blocks[lane];
  c.lanes.region[lane] = &c.regions[lane];
}

}  // namespace

TestSampleData make_sample_data(int count, std::uint32_t seed, int shortest, int longest) {
  std::mt19937 random(seed);
  TestSampleData samples;
  std::uint32_t at = 0;
  for (int r = 0; r < count; ++r) {
    const auto points = static_cast<std::uint32_t>(uniform(random, shortest, longest));
    PlaybackRegion region;
    region.start = at;
    region.end = at + points - 1;
    // A loop of at least 2 points inside the sample, often ending at its last point.
    region.loop_start = at + static_cast<std::uint32_t>(uniform(random, 0, static_cast<int>(points) - 2));
    const auto shortest_end = region.loop_start + 2;
    region.loop_end = chance(random, 0.3) ? region.end + 1
                                          : static_cast<std::uint32_t>(uniform(random, static_cast<int>(shortest_end),
                                                                               static_cast<int>(region.end + 1)));
    samples.regions.push_back(region);
    // The last sample keeps only the two guard points the engine guarantees; others keep SF2's 46.
    at = region.end + 1 + (r + 1 == count ? 2 : 46);
  }
  samples.words.resize(at);
  samples.low_bytes.resize(at);
  for (auto& word : samples.words) word = static_cast<std::int16_t>(uniform(random, -32768, 32767));
  for (auto& low : samples.low_bytes) low = static_cast<std::uint8_t>(uniform(random, 0, 255));
  return samples;
}

std::unique_ptr<OscillatorCase> make_oscillator_case(const TestSampleData& samples, Interpolation mode,
                                                     int frames, std::mt19937& random) {
  auto c = std::make_unique<OscillatorCase>();
  const bool nearest = mode == Interpolation::none;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if (chance(random, 0.15)) continue;  // idle
    OscillatorBlock& block = c->blocks[lane];
    const PlaybackRegion& region = start_lane(samples, block, random);
    // Pitch: mostly ordinary ratios, some integral, some slow, some longer than the loop.
    const int kind = uniform(random, 0, 9);
    double ratio = uniform_real(random, 0.25, 3.0);
    if (kind == 0) ratio = uniform(random, 1, 2);
    if (kind == 1) ratio = uniform_real(random, 0.01, 0.1);
    if (kind == 2 && block.looping) ratio = region.loop_length() + uniform_real(random, 0.0, 3.0);
    block.increment = static_cast<Phase>(ratio * 4294967296.0);
    // Position: exactly at a start, just before the loop end, or anywhere.
    const std::uint32_t first = block.has_looped ? region.loop_start : region.start;
    const std::uint32_t last = block.looping ? region.loop_end - 1 : region.end - 1;
    std::uint32_t index = static_cast<std::uint32_t>(uniform(random, static_cast<int>(first), static_cast<int>(std::max(first, last))));
    Phase fraction = std::uniform_int_distribution<std::uint32_t>()(random);
    const int where = uniform(random, 0, 5);
    if (where == 0) {
      index = first;
      fraction = 0;
    } else if (where == 1) {
      index = first;
    } else if (where == 2) {
      index = std::max(first, last > 1 ? last - 1 : last);
    }
    if (nearest && index > first && chance(random, 0.5)) {
      // Rounds up onto the next point: the case where `none` wraps earlier than the others.
      --index;
      fraction = 0xC0000000u;
    }
    block.phase = (Phase{index} << 32) | fraction;
    finish_lane(*c, lane, region, frames, nearest, random);
  }
  return c;
}

namespace {

// One lane of a window case: its step from choose_step(random) and the fraction of its first
// phase from choose_fraction(random).
template <class ChooseStep, class ChooseFraction>
void add_window_lane(OscillatorCase& c, int lane, const TestSampleData& samples, int frames, std::mt19937& random,
                     ChooseStep choose_step, ChooseFraction choose_fraction) {
  OscillatorBlock& block = c.blocks[lane];
  PlaybackRegion region = start_lane(samples, block, random);
  // Some loops just long enough for the window path to carry the lane through its wraps,
  // and some too short for it.
  if (block.looping && chance(random, 0.2)) {
    const auto length = static_cast<std::uint32_t>(uniform(random, 3, 2 * kWindowSeamLoopLength));
    region.loop_start = region.loop_end - std::min(length, region.loop_end - region.start);
  }
  block.increment = choose_step(random);
  // Where the run ends: past the block, right before the loop end (the wrap follows the
  // run), near the sample end (reads end 2 points past it), or at once (the first point).
  const std::uint32_t first = block.has_looped ? region.loop_start : region.start;
  const std::uint32_t last = block.looping ? region.loop_end - 1 : region.end;
  const double span = static_cast<double>(block.increment) / 4294967296.0 * kBlockFrames;
  const int where = uniform(random, 0, 5);
  std::uint32_t index = static_cast<std::uint32_t>(uniform(random, static_cast<int>(first) + 1, static_cast<int>(first) + 40));
  if (where == 1 || where == 2) {
    const int before_last = static_cast<int>(uniform_real(random, 0.0, span + 16.0));
    index = static_cast<std::uint32_t>(std::max(static_cast<int>(first) + 1, static_cast<int>(last) - before_last));
  } else if (where == 3) {
    index = first;
  }
  const Phase fraction = choose_fraction(random);
  block.phase = (Phase{index} << 32) | fraction;
  finish_lane(c, lane, region, frames, false, random);
}

// A window case: every lane, one in twenty idle, from add_window_lane with these choosers.
template <class ChooseStep, class ChooseFraction>
std::unique_ptr<OscillatorCase> window_case(const TestSampleData& samples, int frames, std::mt19937& random,
                                            ChooseStep choose_step, ChooseFraction choose_fraction) {
  auto c = std::make_unique<OscillatorCase>();
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if (chance(random, 0.05)) continue;  // idle
    add_window_lane(*c, lane, samples, frames, random, choose_step, choose_fraction);
  }
  return c;
}

Phase any_fraction(std::mt19937& random) { return Phase{std::uniform_int_distribution<std::uint32_t>()(random)}; }

}  // namespace

std::unique_ptr<OscillatorCase> make_window_oscillator_case(const TestSampleData& samples, int frames,
                                                            std::mt19937& random) {
  // Steps the window path takes, its limit exactly, and rarely just above it (which sends
  // the lane to the lane-parallel path, and with it the rest of its vector of 8 lanes).
  auto step = [](std::mt19937& r) {
    const int kind = uniform(r, 0, 39);
    Phase increment = static_cast<Phase>(uniform_real(r, 0.05, 1.33) * 4294967296.0);
    if (kind == 0) increment = kWindowStepLimit;
    if (kind == 1) increment = kWindowStepLimit + 1;
    if (kind == 2) increment = Phase{1} << 32;
    if (kind == 3) increment = Phase{3} << 32;
    return increment;
  };
  return window_case(samples, frames, random, step, any_fraction);
}

std::unique_ptr<OscillatorCase> make_wide_window_oscillator_case(const TestSampleData& samples, int frames,
                                                                 std::mt19937& random) {
  auto step = [](std::mt19937& r) {
    const int kind = uniform(r, 0, 19);
    if (kind < 3) return static_cast<Phase>(uniform_real(r, 0.05, 1.33) * 4294967296.0);
    if (kind == 3) return kWideWindowStepLimit;
    if (kind == 4) return uniform(r, 0, 3) == 0 ? kWideWindowStepLimit + 1 : kWindowStepLimit + 1;
    return static_cast<Phase>(uniform_real(r, 1.34, 4.0) * 4294967296.0);
  };
  return window_case(samples, frames, random, step, any_fraction);
}

std::unique_ptr<OscillatorCase> make_unit_step_oscillator_case(const TestSampleData& samples, int frames,
                                                               std::mt19937& random) {
  // Mostly one point per frame; next to it (a fraction that carries, or never does); now and
  // then 2 or 3 points (beyond the window path, which then leaves the lane's vector to the
  // lane path); and other steps of the window path, sharing a vector with unit steps.
  auto step = [](std::mt19937& r) {
    const int kind = uniform(r, 0, 79);
    if (kind < 48) return Phase{1} << 32;
    if (kind < 52) return (Phase{1} << 32) + 1;
    if (kind < 56) return (Phase{1} << 32) - 1;
    if (kind == 56) return Phase{static_cast<std::uint32_t>(uniform(r, 2, 3))} << 32;
    return static_cast<Phase>(uniform_real(r, 0.05, 1.33) * 4294967296.0);
  };
  // Fractions that select weight row 0 (whose zero weights are -0), the top of a row, a row's
  // first fraction, or any.
  auto fraction = [](std::mt19937& r) {
    const auto row = static_cast<std::uint32_t>(uniform(r, 0, 255)) << 24;
    switch (uniform(r, 0, 3)) {
      case 0: return Phase{0};
      case 1: return Phase{row | 0x00ffffffu};
      case 2: return Phase{row};
      default: return any_fraction(r);
    }
  };
  return window_case(samples, frames, random, step, fraction);
}

LaneVoiceSequence::LaneVoiceSequence(const TestSampleData& samples, Interpolation mode, std::uint32_t seed)
    : samples_(samples), mode_(mode), random_(seed) {}

const OscillatorLanes& LaneVoiceSequence::next() {
  const bool nearest = mode_ == Interpolation::none;
  case_.lanes = OscillatorLanes{};
  for (int lane = 0; lane < kLaneCount; ++lane) {
    Voice& voice = voices_[lane];
    const int event = uniform(random_, 0, 63);
    if (!voice.present || event == 0) {
      // The voice ends (the lane may idle a while) or a new one takes the lane, half the time
      // with the region and loop state the lane had.
      if (voice.present && chance(random_, 0.5)) {
        voice.present = false;
      } else if (chance(random_, 0.75)) {
        voice.present = true;
        ++new_voices;
        if (chance(random_, 0.5)) {
          ++same_regions;
        } else {
          voice.region = static_cast<std::size_t>(uniform(random_, 0, static_cast<int>(samples_.regions.size()) - 1));
          voice.looping = chance(random_, 0.7);
        }
      }
    } else if (event == 1) {
      voice.region = static_cast<std::size_t>(uniform(random_, 0, static_cast<int>(samples_.regions.size()) - 1));
      ++region_changes;
    } else if (event == 2 && voice.looping) {
      voice.looping = false;
      ++releases;
    }
    if (!voice.present) continue;
    const PlaybackRegion& region = samples_.regions[voice.region];
    OscillatorBlock& block = case_.blocks[lane];
    block.looping = voice.looping;
    block.has_looped = voice.looping && chance(random_, 0.5);
    const bool scalar = voice.looping && chance(random_, 0.03);
    scalar_blocks += scalar ? 1 : 0;
    // Steps from 1/64 to 3 points (the window path's limit among them), or past the loop.
    block.increment = static_cast<Phase>(uniform_real(random_, 1.0 / 64, 3.0) * 4294967296.0);
    if (chance(random_, 0.1)) block.increment = kWindowStepLimit - 1 + static_cast<Phase>(uniform(random_, 0, 2));
    if (scalar) {
      block.increment = phase_from_index(region.loop_length()) + static_cast<Phase>(uniform(random_, 0, 1 << 30));
    }
    if (chance(random_, 0.05)) block.increment = 0;
    // Positions on and next to the places where the taps change, or anywhere.
    const std::uint32_t first = block.has_looped ? region.loop_start : region.start;
    const std::uint32_t last = block.looping ? region.loop_end - 1 : region.end;
    const std::uint32_t anywhere =
        static_cast<std::uint32_t>(uniform(random_, static_cast<int>(first), static_cast<int>(last)));
    const std::uint32_t spots[] = {first, first + 1, last, last - std::min(last - first, 1u),
                                   last - std::min(last - first, 5u), anywhere};
    const std::uint32_t index = spots[uniform(random_, 0, static_cast<int>(std::size(spots)) - 1)];
    const Phase fraction = chance(random_, 0.2) ? 0 : std::uniform_int_distribution<std::uint32_t>()(random_);
    block.phase = (Phase{index} << 32) | fraction;
    finish_lane(case_, lane, region, chance(random_, 0.8) ? kBlockFrames : uniform(random_, 1, kBlockFrames), nearest,
                random_);
    // The hint that the region is the lane's last one, mostly given where true (it is optional).
    if (last_region_[lane] != nullptr && *last_region_[lane] == region && chance(random_, 0.8)) {
      case_.lanes.same_region |= 1u << lane;
      ++hinted_regions;
    }
    last_region_[lane] = &region;
  }
  return case_.lanes;
}

namespace {

// A resonant low-pass normalised by a0 with b0 == b2, as the engine's filter designs it.
BiquadCoefficients low_pass(double fraction_of_rate, double q_db) {
  const double omega = 2.0 * std::numbers::pi * fraction_of_rate;
  const double q = std::pow(10.0, q_db / 20.0);
  const double alpha = std::sin(omega) / (2.0 * q);
  const double a0_inverse = 1.0 / (1.0 + alpha);
  const double gain = 1.0 / std::sqrt(q);
  const double b1 = (1.0 - std::cos(omega)) * a0_inverse * gain;
  return {static_cast<float>(b1 * 0.5), static_cast<float>(b1), static_cast<float>(-2.0 * std::cos(omega) * a0_inverse),
          static_cast<float>((1.0 - alpha) * a0_inverse)};
}

}  // namespace

std::unique_ptr<FilterCase> make_filter_case(int frames, std::mt19937& random) {
  auto c = std::make_unique<FilterCase>();
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if (chance(random, 0.15)) continue;  // idle
    FilterBlock& filter = c->filters[lane];
    filter.start = low_pass(uniform_real(random, 0.005, 0.45), uniform_real(random, 0.0, 12.0));
    if (chance(random, 0.5)) {
      // Ramp toward another cutoff, over part of the block or all of it; big jumps rescale the
      // memory (with b02 sometimes falling below the 0.001 guard).
      const BiquadCoefficients target = low_pass(uniform_real(random, 0.0005, 0.45), uniform_real(random, 0.0, 12.0));
      filter.ramp_frames = uniform(random, 1, kBlockFrames);
      const float steps = static_cast<float>(filter.ramp_frames);
      filter.step = {(target.b02 - filter.start.b02) / steps, (target.b1 - filter.start.b1) / steps,
                     (target.a1 - filter.start.a1) / steps, (target.a2 - filter.start.a2) / steps};
      filter.compensate_history = chance(random, 0.5);
    }
    filter.enabled = !chance(random, 0.15);
    BiquadState& state = c->states[lane];
    const int memory = uniform(random, 0, 3);
    if (memory == 1) state = {static_cast<float>(uniform_real(random, -2.0, 2.0)), static_cast<float>(uniform_real(random, -2.0, 2.0))};
    if (memory == 2) state = {1e-25f, static_cast<float>(uniform_real(random, -1.0, 1.0))};  // flushed by the guard
    // Most lanes run the whole block; the others end in it.
    c->lanes.frames[lane] = chance(random, 0.5) ? kBlockFrames : frames;
    c->lanes.filter[lane] = &c->filters[lane];
    c->lanes.state[lane] = &c->states[lane];
  }
  c->frame_major = noise(kLaneBlockSamples, 1.0f, random);
  return c;
}

std::vector<float> noise(std::size_t count, float amplitude, std::mt19937& random) {
  std::uniform_real_distribution<float> value(-amplitude, amplitude);
  std::vector<float> out(count);
  for (float& v : out) v = value(random);
  return out;
}

std::vector<float> pcm_source(std::size_t count, float full_scale, bool with_nan, std::mt19937& random) {
  std::vector<float> out = noise(count, 1.1f, random);
  const float code = 1.0f / full_scale;
  const float specials[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f * code, 1.5f * code, -2.5f * code,
                            1.0f - code, 1.0f - 0.5f * code, -1.0f + 0.5f * code, -1.0f - code,
                            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), 3.0f, -1e30f};
  for (float& v : out) {
    if (chance(random, 0.2)) v = specials[uniform(random, 0, static_cast<int>(std::size(specials)) - 1)];
    if (with_nan && chance(random, 0.1)) v = std::numeric_limits<float>::quiet_NaN();
  }
  return out;
}

}  // namespace tutti::kernels::test
