#pragma once
// Voice::step and the per-block helpers it calls, inline: included at the end of voice.h so
// that the scorer's loop over voices (Synthesizer::step_block) compiles the block step into
// itself, without a call, its register saves and its spills per voice and block.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/synth/conversions.h"
#include "kernels/oscillator.h"

namespace tutti::engine::synth {

namespace voice_step_constants {
inline constexpr double kPeakAttenuation = 960.0;  // the 96 dB the volume envelope spans
inline constexpr double kBlock = kernels::kBlockFrames;
inline constexpr double kFullScale24 = 8388608.0;  // a 24-bit full-scale point plays at 1.0
}  // namespace voice_step_constants

inline int Voice::compute_gain(double& gain_step, const double* attenuation_table) {
  const EnvelopeStage stage = volume_envelope_.stage();
  if (stage == EnvelopeStage::delay) return -1;
  const double lfo_cb = mod_lfo_.value() * -mod_lfo_to_volume_;
  // Whether the target gain is zero is read off the centibels (only the table's entry past
  // 144 dB is zero; the attenuation gain never is), not off the table's value: the branch then
  // does not wait for the table read, and the rest of the block proceeds meanwhile.
  constexpr double kSilentCentibels = conversion_tables::kAttenuationTableSize;
  double target = 0.0;
  bool target_is_zero = false;
  if (stage == EnvelopeStage::attack) {
    target = attenuation_gain_ * centibels_to_gain(lfo_cb, attenuation_table) * volume_envelope_.value();
    target_is_zero = lfo_cb >= kSilentCentibels || volume_envelope_.value() == 0.0;
  } else {
    const double centibels = voice_step_constants::kPeakAttenuation * (1.0 - volume_envelope_.value()) + lfo_cb;
    target = attenuation_gain_ * centibels_to_gain(centibels, attenuation_table);
    target_is_zero = centibels >= kSilentCentibels;
    // The envelope only falls from here, so this bounds the voice's future level.
    const double threshold = has_looped_ ? noise_floor_looped_ : noise_floor_unlooped_;
    const double loudest = min_attenuation_gain_ * volume_envelope_.value();
    if (loudest < threshold) return 0;
  }
  gain_step = (target - gain_) / voice_step_constants::kBlock;
  if (gain_ == 0.0 && target_is_zero) return -1;
  return 1;
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
  if (check_bounds_) check_sample_bounds();
  if (note_off_at_frames_ != 0 && frames_played_ >= note_off_at_frames_) release_now();
  const std::uint32_t frames_before = frames_played_;
  frames_played_ += kernels::kBlockFrames;

  volume_envelope_.advance(volume_shape_);
  if (volume_envelope_.stage() == EnvelopeStage::finished) return no_sound(out, BlockOutcome::finished);
  modulation_envelope_.advance(modulation_shape_);
  mod_lfo_.advance(frames_before);
  vib_lfo_.advance(frames_before);

  double gain_step = 0.0;
  const int gain_state = compute_gain(gain_step, attenuation_table);
  if (gain_state == 0) return no_sound(out, BlockOutcome::finished);
  if (gain_state < 0) return no_sound(out, BlockOutcome::silent);

  // The modulation envelope's attack is convex for pitch and cutoff (SF2 2.04 8.1.2 #26).
  const double mod_env = modulation_envelope_.stage() == EnvelopeStage::attack
                             ? convex_curve(127.0 * modulation_envelope_.value())
                             : modulation_envelope_.value();
  const double pitch = pitch_cents_ + mod_lfo_.value() * mod_lfo_to_pitch_ +
                       vib_lfo_.value() * vib_lfo_to_pitch_ + mod_env * mod_env_to_pitch_;
  if (!(pitch == last_pitch_cents_)) {
    last_pitch_cents_ = pitch;
    last_increment_ = increment_for(pitch);
  }
  const kernels::Phase increment = last_increment_;
  const bool looping = sample_mode_ == 1 ||
                       (sample_mode_ == 3 && volume_envelope_.stage() < EnvelopeStage::release);
  const bool nearest = environment_->interpolation == kernels::Interpolation::none;
  const kernels::Phase half = nearest ? (kernels::Phase{1} << 31) : 0;

  // Where this block reads: wrap a position left past the loop end by the previous block, then
  // count the frames before the sample end (only an unlooped voice can reach it).
  kernels::Phase start = phase_;
  bool looped_at_start = has_looped_;
  int frames = kernels::kBlockFrames;
  if (looping) {
    const auto wrapped = kernels::wrap_phase(start, region_, true, nearest);
    start = wrapped.phase;
    looped_at_start = looped_at_start || wrapped.wrapped;
  } else {
    const kernels::Phase limit = kernels::phase_from_index(region_.end + 1);
    if (start + half >= limit) {
      frames = 0;
    } else {
      // Frame k reads start + k * increment; it plays while that stays below the limit. Far
      // from the end the whole block fits, known without a 64-bit division (no overflow: the
      // increment is below 2^53, see kMaxPlaybackRatio).
      const kernels::Phase room = limit - 1 - (start + half);
      if (room < (kernels::kBlockFrames - 1) * increment) {
        frames = static_cast<int>(room / increment) + 1;
      }
    }
  }
  if (frames == 0) return no_sound(out, BlockOutcome::finished);

  const kernels::Phase last = start + static_cast<kernels::Phase>(frames - 1) * increment;
  const auto last_wrapped = kernels::wrap_phase(last, region_, looping, nearest);
  phase_ = last_wrapped.phase + increment;
  has_looped_ = looped_at_start || last_wrapped.wrapped;

  out.oscillator.phase = start;
  out.oscillator.increment = increment;
  out.oscillator.gain = static_cast<float>(gain_);
  out.oscillator.gain_step = static_cast<float>(gain_step);
  out.oscillator.frames = frames;
  out.oscillator.looping = looping;
  out.oscillator.has_looped = looped_at_start;
  out.region = region_;
  filter_.next_block(mod_lfo_.value() * mod_lfo_to_cutoff_ + mod_env * mod_env_to_cutoff_,
                     environment_->output_rate, out.filter);
  out.pan = output_gains_;
  output_gains_.left_from = output_gains_.left_to;
  output_gains_.right_from = output_gains_.right_to;
  gain_ += gain_step * frames;

  if (frames < kernels::kBlockFrames) return BlockOutcome::finished;
  mute_if_inaudible(attenuation_table);
  return BlockOutcome::sounding;
}

inline double Voice::future_peak_bound(const double* attenuation_table) const {
  // The envelope only falls from here; tremolo may lift it by its depth; the table truncates
  // centibels, so it never reads quieter than the exact gain.
  const double centibels = voice_step_constants::kPeakAttenuation * (1.0 - volume_envelope_.value()) -
                           std::fabs(mod_lfo_to_volume_);
  const double envelope_gain = std::max(gain_, attenuation_gain_ * centibels_to_gain(centibels, attenuation_table));
  // What the rest of the sample holds: a looping voice comes back to its loop's start.
  const bool looping = sample_mode_ == 1 ||
                       (sample_mode_ == 3 && volume_envelope_.stage() < EnvelopeStage::release);
  const std::uint32_t index = kernels::phase_index(phase_);
  const double points = sample_->peak_from(looping ? std::min(index, region_.loop_start) : index);
  // The highest cutoff the filter can still reach: the modulation envelope only falls past its
  // attack, the LFO swings by its depth.
  const double envelope_depth =
      modulation_envelope_.stage() >= EnvelopeStage::decay ? modulation_envelope_.value() : 1.0;
  const double highest_cutoff = filter_.cutoff_cents() + std::max(0.0, mod_env_to_cutoff_) * envelope_depth +
                                std::fabs(mod_lfo_to_cutoff_);
  const double filter_gain = environment_->filter_bounds->at(filter_q_centibels_, highest_cutoff);
  // Interpolation may overshoot the points it weighs (cubic by at most a quarter). The pan gains
  // (with the output scale) change only on events, which make a muted voice look again.
  constexpr double kInterpolationOvershoot = 1.25;
  const double pan_gain = std::max({std::fabs(output_gains_.left_from), std::fabs(output_gains_.left_to),
                                    std::fabs(output_gains_.right_from), std::fabs(output_gains_.right_to)});
  return envelope_gain * points * kInterpolationOvershoot * filter_gain * pan_gain;
}

inline void Voice::mute_if_inaudible(const double* attenuation_table) {
  // Only wakes_up() unmutes, so that the synthesizer hears of it and restarts the voice's filter.
  // Looked at every kMuteCheckBlocks blocks (12 ms): the bound takes a few table reads, and a
  // voice muted a few blocks late costs only those blocks.
  constexpr std::uint32_t kMuteCheckBlocks = 8;
  if (muted_ || (frames_played_ / kernels::kBlockFrames) % kMuteCheckBlocks != 0) return;
  if (environment_->audibility_floor <= 0.0 || volume_envelope_.stage() < EnvelopeStage::decay) return;
  muted_ = future_peak_bound(attenuation_table) < environment_->audibility_floor;
}

}  // namespace tutti::engine::synth
