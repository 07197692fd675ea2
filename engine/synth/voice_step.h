#pragma once
// Voice::step, Voice::step_unheard and the per-block helpers they share, inline: included at
// the end of voice.h so that the scorer's loop over voices (Synthesizer::step_block) compiles
// the block step into itself, without a call, its register saves and its spills per voice and
// block.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/synth/conversions.h"
#include "kernels/control_lanes.h"
#include "kernels/oscillator.h"

namespace tutti::engine::synth {

namespace voice_step_constants {
inline constexpr double kPeakAttenuation = 960.0;  // the 96 dB the volume envelope spans
inline constexpr double kBlock = kernels::kBlockFrames;
inline constexpr double kFullScale24 = 8388608.0;  // a 24-bit full-scale point plays at 1.0
}  // namespace voice_step_constants

inline bool Voice::start_block() {
  if (check_bounds_) check_sample_bounds();
  // An event may have made a coarse voice stand out again. Never true of a muted voice, whose
  // events wakes_up() has looked at before its block.
  if (coarse_ && parameters_changed_) recheck_coarse();
  if (note_off_at_frames_ != 0 && frames_played_ >= note_off_at_frames_) release_now();
  const std::uint32_t frames_before = frames_played_;
  frames_played_ += kernels::kBlockFrames;

  volume_envelope_.advance(volume_shape_);
  if (volume_envelope_.stage() == EnvelopeStage::finished) return false;
  modulation_envelope_.advance(modulation_shape_);
  mod_lfo_.advance(frames_before);
  vib_lfo_.advance(frames_before);
  return true;
}

inline int Voice::compute_gain(double& target, double& gain_step, const double* attenuation_table) {
  return gain_for_block<GainPrecision::exact>(target, gain_step, attenuation_table);
}

inline int Voice::mark_gain_presence() {
  double unread_target = 0.0;
  double unread_gain_step = 0.0;
  return gain_for_block<GainPrecision::zero_or_not>(unread_target, unread_gain_step, nullptr);
}

// Shared by both, so that step_unheard() ends and falls silent in the very blocks step() does.
template <Voice::GainPrecision kPrecision>
inline int Voice::gain_for_block(double& target, double& gain_step, const double* attenuation_table) {
  const EnvelopeStage stage = volume_envelope_.stage();
  if (stage == EnvelopeStage::delay) return -1;
  const double lfo_cb = mod_lfo_.value() * -mod_lfo_to_volume_;
  // Whether the target gain is zero is read off the centibels (only the table's entry past
  // 144 dB is zero; the attenuation gain never is), not off the table's value: the branch then
  // does not wait for the table read, and the rest of the block proceeds meanwhile.
  constexpr double kSilentCentibels = conversion_tables::kAttenuationTableSize;
  constexpr bool kExact = kPrecision == GainPrecision::exact;
  bool target_is_zero = false;
  if (stage == EnvelopeStage::attack) {
    if constexpr (kExact) {
      target = attenuation_gain_ * centibels_to_gain(lfo_cb, attenuation_table) * volume_envelope_.value();
    }
    target_is_zero = lfo_cb >= kSilentCentibels || volume_envelope_.value() == 0.0;
  } else {
    const double centibels = voice_step_constants::kPeakAttenuation * (1.0 - volume_envelope_.value()) + lfo_cb;
    if constexpr (kExact) target = attenuation_gain_ * centibels_to_gain(centibels, attenuation_table);
    target_is_zero = centibels >= kSilentCentibels;
    // The envelope only falls from here, so this bounds the voice's future level.
    const double threshold = has_looped_ ? noise_floor_looped_ : noise_floor_unlooped_;
    const double loudest = min_attenuation_gain_ * volume_envelope_.value();
    if (loudest < threshold) return 0;
  }
  if constexpr (kExact) gain_step = (target - gain_) / voice_step_constants::kBlock;
  if (gain_ == 0.0 && target_is_zero) return -1;
  if constexpr (!kExact) {
    // All a muted voice's blocks read of its gain is whether it is zero, and the exact path's
    // gain is zero after a block exactly when the block's target is: past the attack a non-zero
    // target is at least 10^-14.4 (the table's last non-zero entry, 144 dB, times the
    // attenuation's, at most as low), and a ramp towards it between gains of at most 1 rounds
    // by no more than 2^-53.
    gain_ = target_is_zero ? 0.0 : kernels::kUnheardGain;
  }
  return 1;
}

inline double Voice::modulation_envelope_depth() const {
  // The modulation envelope's attack is convex for pitch and cutoff (SF2 2.04 8.1.2 #26).
  return modulation_envelope_.stage() == EnvelopeStage::attack ? convex_curve(127.0 * modulation_envelope_.value())
                                                               : modulation_envelope_.value();
}

inline kernels::Phase Voice::block_increment(double modulation_envelope) {
  const double pitch = pitch_cents_ + mod_lfo_.value() * mod_lfo_to_pitch_ + vib_lfo_.value() * vib_lfo_to_pitch_ +
                       modulation_envelope * mod_env_to_pitch_;
  if (!(pitch == last_pitch_cents_)) {
    last_pitch_cents_ = pitch;
    last_increment_ = increment_for(pitch);
  }
  return last_increment_;
}

inline int Voice::block_frames(kernels::Phase increment, bool looping, bool nearest, kernels::Phase& start,
                               bool& looped_at_start) const {
  // Wrap a position left past the loop end by the previous block, then count the frames before
  // the sample end (only an unlooped voice can reach it).
  if (looping) {
    const auto wrapped = kernels::wrap_phase(start, region_, true, nearest);
    start = wrapped.phase;
    looped_at_start = looped_at_start || wrapped.wrapped;
    return kernels::kBlockFrames;
  }
  const kernels::Phase half = nearest ? (kernels::Phase{1} << 31) : 0;
  const kernels::Phase limit = kernels::phase_from_index(region_.end + 1);
  if (start + half >= limit) return 0;
  // Frame k reads start + k * increment; it plays while that stays below the limit. Far from
  // the end the whole block fits, known without a 64-bit division (no overflow: the increment
  // is below 2^53, see kMaxPlaybackRatio).
  const kernels::Phase room = limit - 1 - (start + half);
  if (room < (kernels::kBlockFrames - 1) * increment) return static_cast<int>(room / increment) + 1;
  return kernels::kBlockFrames;
}

inline void Voice::advance_position(kernels::Phase start, int frames, kernels::Phase increment, bool looping,
                                    bool nearest, bool looped_at_start) {
  const kernels::Phase last = start + static_cast<kernels::Phase>(frames - 1) * increment;
  const auto last_wrapped = kernels::wrap_phase(last, region_, looping, nearest);
  phase_ = last_wrapped.phase + increment;
  has_looped_ = looped_at_start || last_wrapped.wrapped;
}

inline int Voice::play_block(kernels::Phase increment, kernels::Phase& start, bool& looping,
                             bool& looped_at_start) {
  looping = loops_now();
  const bool nearest = environment_->interpolation == kernels::Interpolation::none;
  start = phase_;
  looped_at_start = has_looped_;
  const int frames = block_frames(increment, looping, nearest, start, looped_at_start);
  if (frames > 0) advance_position(start, frames, increment, looping, nearest, looped_at_start);
  return frames;
}

inline void Voice::settle_pan() {
  output_gains_.left_from = output_gains_.left_to;
  output_gains_.right_from = output_gains_.right_to;
}

inline BlockOutcome Voice::no_sound(VoiceBlockControl& out, BlockOutcome outcome) {
  // Every field, not only the frame count: the caller may hand step() an uninitialised block.
  static constexpr VoiceBlockControl kNoSound{};
  out = kNoSound;
  return outcome;
}

// No separate fast path for a note at rest (sustain, no modulation): on real songs most
// sounding blocks are in release (85% on the OpenTTD files with FluidR3), where the envelope,
// the gain and often the cutoff change every block, and under 2% would qualify.
inline BlockOutcome Voice::step(VoiceBlockControl& out) {
  // Fetched first, so no call can come between the attenuation and its table read.
  const double* attenuation_table = conversion_tables::tables().attenuation.data();
  if (!start_block()) return no_sound(out, BlockOutcome::finished);

  double target = 0.0;
  double gain_step = 0.0;
  const int gain_state = compute_gain(target, gain_step, attenuation_table);
  if (gain_state == 0) return no_sound(out, BlockOutcome::finished);
  if (gain_state < 0) return no_sound(out, BlockOutcome::silent);

  const double mod_env = modulation_envelope_depth();
  const kernels::Phase increment = block_increment(mod_env);
  kernels::Phase start = 0;
  bool looping = false;
  bool looped_at_start = false;
  const int frames = play_block(increment, start, looping, looped_at_start);
  if (frames == 0) return no_sound(out, BlockOutcome::finished);

  out.oscillator.phase = start;
  out.oscillator.increment = increment;
  out.oscillator.gain = static_cast<float>(gain_);
  out.oscillator.gain_step = static_cast<float>(gain_step);
  out.oscillator.frames = frames;
  out.oscillator.looping = looping;
  out.oscillator.has_looped = looped_at_start;
  out.region = region_;
  out.interpolation = block_interpolation();
  filter_.next_block(mod_lfo_.value() * mod_lfo_to_cutoff_ + mod_env * mod_env_to_cutoff_,
                     environment_->output_rate, environment_->filter_designs, out.filter);
  out.pan = output_gains_;
  settle_pan();
  gain_ += gain_step * frames;

  if (frames < kernels::kBlockFrames) return BlockOutcome::finished;
  assess_audibility(attenuation_table);
  return BlockOutcome::sounding;
}

inline BlockOutcome Voice::step_unheard() {
  if (!start_block()) return BlockOutcome::finished;
  const int gain_state = mark_gain_presence();
  if (gain_state == 0) return BlockOutcome::finished;
  if (gain_state < 0) return BlockOutcome::silent;

  const kernels::Phase increment = block_increment(modulation_envelope_depth());
  kernels::Phase start = 0;
  bool looping = false;
  bool looped_at_start = false;
  const int frames = play_block(increment, start, looping, looped_at_start);
  if (frames == 0) return BlockOutcome::finished;
  settle_pan();
  return frames < kernels::kBlockFrames ? BlockOutcome::finished : BlockOutcome::sounding;
}

inline double Voice::last_block_gain() {
  // A whole block ends at gain + (target - gain) / 64 * 64: the target itself when the block
  // started within a factor 2 of it (the subtraction is then exact, the scaling always is),
  // otherwise within an ulp of the larger of the two; a silent block keeps its zero gain, and
  // its target is zero. A muted voice is past its attack; a voice in its delay keeps its gain.
  double target = gain_;
  double unused_gain_step = 0.0;
  compute_gain(target, unused_gain_step, conversion_tables::tables().attenuation.data());
  return target;
}

inline Voice::FutureBounds Voice::future_bounds(const double* attenuation_table) const {
  // The envelope only falls from here; tremolo may lift it by its depth; the table truncates
  // centibels, so it never reads quieter than the exact gain.
  const double centibels = voice_step_constants::kPeakAttenuation * (1.0 - volume_envelope_.value()) -
                           std::fabs(mod_lfo_to_volume_);
  const double envelope_gain = std::max(gain_, attenuation_gain_ * centibels_to_gain(centibels, attenuation_table));
  // The highest cutoff the filter can still reach: the modulation envelope only falls past its
  // attack, the LFO swings by its depth.
  const double envelope_depth =
      modulation_envelope_.stage() >= EnvelopeStage::decay ? modulation_envelope_.value() : 1.0;
  const double highest_cutoff = filter_.cutoff_cents() + std::max(0.0, mod_env_to_cutoff_) * envelope_depth +
                                std::fabs(mod_lfo_to_cutoff_);
  if (filter_gain_for_q_.empty()) filter_gain_for_q_ = environment_->filter_bounds->for_q(filter_q_centibels_);
  const double filter_gain = filter_gain_for_q_.at(highest_cutoff);
  // The pan gains (with the output scale) change only on events, which make a voice look again.
  const double pan_gain = std::max({std::fabs(output_gains_.left_from), std::fabs(output_gains_.left_to),
                                    std::fabs(output_gains_.right_from), std::fabs(output_gains_.right_to)});
  const double chain_gain = envelope_gain * filter_gain * pan_gain;

  // What the rest of the sample holds: a looping voice comes back to its loop's start. The
  // next frame's cubic taps begin one point before its index, which may lie in a louder chunk.
  if (suffix_bounds_ == nullptr) suffix_bounds_ = &sample_->suffix_bounds();
  const SuffixBounds& sample = *suffix_bounds_;
  const bool looping = loops_now();
  const std::uint32_t index = kernels::phase_index(phase_);
  const std::uint32_t from = looping ? std::min(index, region_.loop_start) : index;
  const double peak = sample.peak_from(from == 0 ? 0 : from - 1);
  // Cubic interpolation overshoots the points it weighs by at most a quarter. Linear
  // interpolation strays from cubic by at most an eighth of the sharpest bend it passes
  // (|cubic - linear| = t (1 - t) / 2 |(1 - t) d0 + t d1|, d the second differences), bends
  // known only over the sample's own region and loop. Linear never leaves its two points'
  // range, so where the bends are known cubic stays within the peak plus that eighth: for the
  // smooth samples most instruments play, a bound barely above the peak, not a quarter above
  // (with room for the rounding of the float weights and sums, which the quarter had).
  constexpr double kCubicOvershoot = 1.25;
  constexpr double kRoundingRoom = 1.0 + 1.0 / 65536.0;
  FutureBounds bounds;
  bounds.peak = chain_gain * peak * kCubicOvershoot;
  if (region_ == sample_->region) {
    // A voice that has entered its loop reads across the seam while it loops, and, released in
    // mode 3, once more at the loop's start if it is still before it (the tap before the start
    // is then the loop's last point).
    const bool crosses_seam = looping || has_looped_;
    const double bend = crosses_seam ? std::max(sample.curvature_from(from), sample.loop_seam_curvature())
                                     : sample.curvature_from(from);
    bounds.linear_error = chain_gain * bend / 8.0;
    bounds.peak = std::min(bounds.peak, (chain_gain * peak + bounds.linear_error) * kRoundingRoom);
  }
  return bounds;
}

inline void Voice::assess_audibility(const double* attenuation_table) {
  // Looked at every kAudibilityCheckBlocks blocks: the bounds take a few table reads, and a
  // voice muted or coarsened a few blocks late costs only those blocks. Only wakes_up()
  // unmutes, so that the synthesizer hears of it and restarts the voice's filter.
  if (muted_ || (frames_played_ / kernels::kBlockFrames) % kAudibilityCheckBlocks != 0) return;
  if (!assesses_audibility()) return;
  const FutureBounds bounds = future_bounds(attenuation_table);
  muted_ = bounds.peak < environment_->audibility_floor;
  coarse_ = coarse_ || may_be_coarse(bounds);
}

inline bool Voice::may_be_coarse(const FutureBounds& bounds) const {
  return environment_->coarse_interpolation && environment_->interpolation == kernels::Interpolation::cubic &&
         bounds.linear_error < environment_->audibility_floor;
}

inline void Voice::recheck_coarse() {
  parameters_changed_ = false;
  coarse_ = may_be_coarse(future_bounds(conversion_tables::tables().attenuation.data()));
}

}  // namespace tutti::engine::synth
