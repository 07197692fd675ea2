#include "engine/synth/control_batch.h"

#include <cstdint>
#include <limits>

#include "engine/synth/conversions.h"

namespace tutti::engine::synth {

namespace {

constexpr std::uint64_t kAll = ~std::uint64_t{0};
constexpr std::uint64_t flag(bool value) { return value ? kAll : 0; }
// Frame counts below 2^31 leave a run room before a 32-bit count wraps; positions below point
// 2^30 keep every phase the lanes form (plus a block of increments) below 2^63.
constexpr std::uint32_t kMaxLaneFrames = std::uint32_t{1} << 31;
constexpr std::uint32_t kMaxLanePoint = std::uint32_t{1} << 30;

void load_envelope(const Envelope& envelope, kernels::ControlLanes::Envelopes& lanes, int l) {
  const EnvelopeSegment& segment = envelope.segment();
  lanes.value[l] = envelope.value();
  lanes.coeff[l] = segment.coeff;
  lanes.increment[l] = segment.increment;
  lanes.min[l] = segment.min;
  lanes.max[l] = segment.max;
  lanes.done[l] = envelope.blocks_in_stage();
  lanes.blocks[l] = segment.blocks;
}

}  // namespace

ControlBatch::ControlBatch(const VoiceEnvironment& environment)
    : output_rate_(environment.output_rate),
      filter_designs_(environment.filter_designs),
      interpolation_(environment.interpolation),
      step_lanes_(kernels::dispatched_step_control_lanes()) {
  constants_.attenuation_table = conversion_tables::tables().attenuation.data();
  constants_.attenuation_top = conversion_tables::kAttenuationTableSize;
  constants_.lowest_cutoff_cents = kLowestFilterCents;
  constants_.highest_cutoff_cents = kHighestFilterCents;
  constants_.half_point = environment.interpolation == kernels::Interpolation::none ? (std::uint64_t{1} << 31) : 0;
}

bool ControlBatch::loadable(const Voice& v, bool unheard) const {
  const EnvelopeStage volume = v.volume_envelope_.stage();
  // A muted voice's filter is not designed (its last cutoff is the lane's own business).
  const bool filter_settled =
      unheard || (v.filter_.last_rate_ == output_rate_ && v.filter_.last_whole_cents_ != LowpassFilterDesign::kNoCents);
  return v.muted_ == unheard && volume != EnvelopeStage::delay && volume != EnvelopeStage::finished &&
         v.modulation_envelope_.stage() != EnvelopeStage::attack && !v.check_bounds_ &&
         !(v.coarse_ && v.parameters_changed_) && filter_settled && v.frames_played_ < kMaxLaneFrames &&
         v.region_.end < kMaxLanePoint && v.region_.loop_end < kMaxLanePoint;
}

void ControlBatch::load(int l) {
  Lane& meta = lanes_meta_[l];
  const Voice& v = *meta.voice;
  kernels::ControlLanes& s = lanes_;
  s.active[l] = kAll;

  const Envelope& volume = v.volume_envelope_;
  load_envelope(volume, s.volume, l);
  load_envelope(v.modulation_envelope_, s.modulation, l);
  s.volume_in_attack[l] = flag(volume.stage() == EnvelopeStage::attack);

  s.mod_lfo_value[l] = v.mod_lfo_.value();
  s.mod_lfo_increment[l] = v.mod_lfo_.increment_per_block();
  s.mod_lfo_delay[l] = v.mod_lfo_.delay_frames();
  s.vib_lfo_value[l] = v.vib_lfo_.value();
  s.vib_lfo_increment[l] = v.vib_lfo_.increment_per_block();
  s.vib_lfo_delay[l] = v.vib_lfo_.delay_frames();
  s.frames[l] = v.frames_played_;
  s.note_off_at[l] =
      v.note_off_at_frames_ != 0 ? static_cast<double>(v.note_off_at_frames_) : std::numeric_limits<double>::infinity();

  s.gain[l] = v.gain_;
  s.attenuation_gain[l] = v.attenuation_gain_;
  s.lfo_to_volume[l] = -v.mod_lfo_to_volume_;
  s.min_attenuation_gain[l] = v.min_attenuation_gain_;
  s.noise_floor_unlooped[l] = v.noise_floor_unlooped_;
  s.noise_floor_looped[l] = v.noise_floor_looped_;

  s.pitch_cents[l] = v.pitch_cents_;
  s.mod_lfo_to_pitch[l] = v.mod_lfo_to_pitch_;
  s.vib_lfo_to_pitch[l] = v.vib_lfo_to_pitch_;
  s.mod_env_to_pitch[l] = v.mod_env_to_pitch_;
  s.last_pitch[l] = v.last_pitch_cents_;
  s.cutoff_cents[l] = v.filter_.cutoff_cents();
  s.mod_lfo_to_cutoff[l] = v.mod_lfo_to_cutoff_;
  s.mod_env_to_cutoff[l] = v.mod_env_to_cutoff_;
  s.last_whole_cents[l] = v.filter_.last_whole_cents_;

  const bool looping = v.loops_now();
  s.phase[l] = v.phase_;
  s.increment[l] = v.last_increment_;
  s.loop_end[l] = v.region_.loop_end;
  s.loop_length[l] = v.region_.loop_length();
  s.end_phase[l] = kernels::phase_from_index(v.region_.end + 1);
  s.looping[l] = flag(looping);
  s.has_looped[l] = flag(v.has_looped_);

  VoiceBlockControl& record = meta.record;
  record.oscillator.increment = v.last_increment_;
  record.oscillator.frames = kernels::kBlockFrames;
  record.oscillator.looping = looping;
  record.region = v.region_;
  record.interpolation = v.block_interpolation();
  v.filter_.steady_block(record.filter);
  record.pan = v.output_gains_;
  record.repeats = {record.filter.enabled, true, true};
  meta.follows_template = false;
  meta.pan_ramps = !(record.pan.left_from == record.pan.left_to && record.pan.right_from == record.pan.right_to);
  meta.assesses_audibility = v.assesses_audibility();
}

void ControlBatch::store(int l) {
  Lane& meta = lanes_meta_[l];
  Voice& v = *meta.voice;
  const kernels::ControlLanes& s = lanes_;
  v.volume_envelope_.set_progress(s.volume.value[l], static_cast<std::uint32_t>(s.volume.done[l]));
  v.modulation_envelope_.set_progress(s.modulation.value[l], static_cast<std::uint32_t>(s.modulation.done[l]));
  v.mod_lfo_.set_state(s.mod_lfo_value[l], s.mod_lfo_increment[l]);
  v.vib_lfo_.set_state(s.vib_lfo_value[l], s.vib_lfo_increment[l]);
  v.frames_played_ = static_cast<std::uint32_t>(s.frames[l]);
  v.gain_ = s.gain[l];
  v.phase_ = s.phase[l];
  v.has_looped_ = s.has_looped[l] != 0;
  v.output_gains_ = meta.record.pan;
}

ControlBatch::LaneOutcome ControlBatch::scalar_block(int l, VoiceBlockControl& out,
                                                     const VoiceBlockControl* previous) {
  end(l);
  Lane& meta = lanes_meta_[l];
  Voice& voice = *meta.voice;
  const BlockOutcome outcome = voice.step(out);
  mark_repeats(out, previous);
  meta.follows_template = false;
  meta.coarse_blocks += out.interpolation != interpolation_ ? 1 : 0;
  if (outcome == BlockOutcome::finished) return LaneOutcome::finished;
  if (voice.muted()) return LaneOutcome::muted;
  if (loadable(voice, false)) load(l);
  return LaneOutcome::goes_on;
}

ControlBatch::LaneOutcome ControlBatch::scalar_unheard_block(int l) {
  end(l);
  Voice& voice = *lanes_meta_[l].voice;
  if (voice.step_unheard() == BlockOutcome::finished) return LaneOutcome::finished;
  if (loadable(voice, true)) load(l);
  return LaneOutcome::goes_on;
}

void ControlBatch::redesign_filter(int l, VoiceBlockControl& out, const VoiceBlockControl* previous) {
  Lane& meta = lanes_meta_[l];
  LowpassFilterDesign& filter = meta.voice->filter_;
  filter.next_block(out_.cutoff_modulation[l], output_rate_, filter_designs_, out.filter);
  mark_repeats(out, previous);
  filter.steady_block(meta.record.filter);
  meta.record.repeats.filter_enabled = meta.record.filter.enabled;
}

ControlBatch::LaneOutcome ControlBatch::assess_audibility(int l) {
  Lane& meta = lanes_meta_[l];
  Voice& voice = *meta.voice;
  store(l);
  voice.assess_audibility(constants_.attenuation_table);
  if (voice.muted()) {
    lanes_.active[l] = 0;
    return LaneOutcome::muted;
  }
  meta.record.interpolation = voice.block_interpolation();
  return LaneOutcome::goes_on;
}

}  // namespace tutti::engine::synth
