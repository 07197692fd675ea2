#pragma once
// One sounding note-zone: the SF2 voice model at control rate. It turns generators and
// modulators into synthesis parameters and, once per 64-frame block, advances envelopes and
// LFOs, follows the sample position through loops, and emits the block's control values
// (VoiceBlockControl) for the kernels. It never touches audio, so the whole future of a voice
// is known before rendering. The formulas and their order follow FluidSynth 2.3 (see
// engine/FLUIDSYNTH_MODEL.md and COMPAT.md).
#include <array>
#include <cassert>
#include <cstdint>
#include <limits>

#include "engine/synth/channel_state.h"
#include "engine/synth/envelope.h"
#include "engine/synth/filter_gain_bound.h"
#include "engine/synth/lfo.h"
#include "engine/synth/lowpass_filter.h"
#include "engine/synth/modulation.h"
#include "engine/synth/prepared_bank.h"
#include "engine/synth/score.h"
#include "engine/synth/voice_generators.h"

namespace tutti::engine::synth {

// Settings shared by all voices of a render.
struct VoiceEnvironment {
  double output_rate = 44100.0;
  double gain = 0.2;  // FluidSynth's default synth.gain, so levels match
  std::uint32_t min_note_frames = 441;  // a note-off never shortens a note below 10 ms
  kernels::Interpolation interpolation = kernels::Interpolation::cubic;
  kernels::SampleData data;
  // The output peak (full scale 1) below which a voice is inaudible: once nothing it can still
  // play may reach it, the voice is muted (see Voice::muted). 0 renders every voice to its end.
  double audibility_floor = 0.0;
  bool coarse_interpolation = false;  // see Voice::coarse
  const FilterGainBounds* filter_bounds = nullptr;  // required when audibility_floor > 0
  // The render's remembered filter designs (null: every design afresh); the same coefficients
  // either way.
  FilterDesignCache* filter_designs = nullptr;
};

enum class VoiceStatus : std::uint8_t { available, on, sustained, held_by_sostenuto };

enum class BlockOutcome : std::uint8_t {
  silent,    // nothing to render this block; the voice goes on
  sounding,  // render `frames` frames
  finished,  // render `frames` frames (possibly 0), then the voice is over
};

// How a zone's modulator joins the voice's list: instrument modulators replace an identical
// one's amount, preset modulators add to it (SF2 2.04 section 9.5).
enum class ModulatorMode : std::uint8_t { replace, add };

inline constexpr int kMaxVoiceModulators = 64;

// Aligned to a cache line so that its per-block state (see below) spans as few lines as it can.
class alignas(64) Voice {
 public:
  // Note-on, step 1: bind to a sample and a channel, reset all state, load defaults, default
  // modulators and the channel's NRPN offsets. `pan_memory` is the previous occupant of the
  // voice slot's pan (its *_from gains are where its output stood); the new voice's first
  // block ramps from there, as FluidSynth's reused voice buffers do.
  void begin(const VoiceEnvironment& environment, const PreparedSample& sample,
             std::uint32_t sample_index, const ChannelState& channel, int key, int velocity,
             std::uint64_t note_id, std::int64_t start_frame, const kernels::PanBlock& pan_memory);
  // Step 2: zone generators and modulators.
  void set_generator(int slot, double value);
  void add_generator(int slot, double value);
  void add_modulator(const VoiceModulator& modulator, ModulatorMode mode, int identity_limit);
  int modulator_count() const { return modulator_count_; }
  // Step 3: evaluate modulators and derive every parameter; the voice is then on.
  void start();

  // Events.
  void note_off();            // honours sustain and sostenuto
  void release();             // forced release, whatever the pedals
  void kill_exclusive();      // exclusive class: fast release
  void turn_off();            // immediate stop (voice stealing, all sound off)
  void modulate(bool is_cc, int index);  // a modulator source changed
  void modulate_all();
  void set_nrpn_offset(int slot, double value);
  void set_status(VoiceStatus status) { status_ = status; }

  // One block of control. Writes every field of `out`, whatever the outcome (a block that does
  // not sound is a default VoiceBlockControl, frames 0), so `out` may be uninitialised memory;
  // reports what to do with it. Forced inline: GCC kept it a call from the scorer's loop, with
  // its register saves and restores per voice and block (1% of a render's instructions).
  [[gnu::always_inline]] BlockOutcome step(VoiceBlockControl& out);
  // One block of a muted voice, in its place: the same outcome as step() and the same
  // envelopes, LFOs, position and end, without what only the render reads (no control block,
  // no filter design, the gain kept only as zero or not). The first event after it gives the
  // voice its exact gain back, and wakes_up() restarts its filter design.
  BlockOutcome step_unheard();

  // Queries.
  VoiceStatus status() const { return status_; }
  bool available() const { return status_ == VoiceStatus::available; }
  bool playing() const { return status_ != VoiceStatus::available; }
  bool on() const { return status_ == VoiceStatus::on && !has_note_off_; }
  bool has_note_off() const { return has_note_off_; }
  int channel() const { return channel_number_; }
  int key() const { return key_; }
  std::uint64_t note_id() const { return note_id_; }
  std::int64_t start_frame() const { return start_frame_; }
  double attenuation() const { return attenuation_; }
  int exclusive_class() const { return static_cast<int>(generators_.total(sf2::Generator::exclusiveClass)); }
  std::uint32_t sample_index() const { return sample_index_; }
  const kernels::PanBlock& pan_memory() const { return output_gains_; }
  // The priority FluidSynth uses to pick a voice to steal (lowest goes first).
  double steal_priority(std::int64_t now_frame, bool percussion_channel) const;

  // Audibility. A voice whose every future block must stay below the environment's audibility
  // floor (its envelope past the attack, so only falling; the loudest its attenuation, tremolo,
  // filter at any cutoff, pan and the rest of its sample allow) is muted: it goes on exactly as
  // before (its envelope, position, allocation and the moment it ends are FluidSynth's) but is
  // no longer rendered. The floor is far below what a 16-bit output can hold, so the render
  // does not change audibly, and the release tails that make up much of a song's voice blocks
  // cost only a light control-rate step (step_unheard).
  bool muted() const { return muted_; }
  // Coarse: a voice whose linear interpolation would stray from its cubic one by less than the
  // audibility floor in every future block (the bound on the sample's bends, gain, filter and
  // pan) is rendered with FluidSynth's linear interpolation, which costs less. Only with the
  // cubic interpolation chosen; an event that makes the voice stand out again ends it.
  bool coarse() const { return coarse_; }
  // For a muted voice: whether a parameter change since it was muted (a controller, an NRPN)
  // has made it audible again; if so it is unmuted and renders from the next block, with the
  // gain step() would have left it and a filter designed afresh. Most muted blocks follow no
  // change: that test is inline, the rest out of line.
  bool wakes_up() {
    assert(muted_);
    return parameters_changed_ && reassess_after_change();
  }

 private:
  // Steps a voice's regular blocks side by side with other voices', on a copy of its per-block
  // state that it writes back before any of the methods below runs.
  friend class ControlBatch;
  void update_parameter(int slot);
  void update_volume_envelope_segment(EnvelopeStage stage);
  void update_modulation_envelope_segment(EnvelopeStage stage);
  std::uint32_t hold_or_decay_blocks(sf2::Generator base, sf2::Generator per_key, bool decay) const;
  void update_pan_targets();
  void update_sample_addresses();
  double lowest_possible_attenuation() const;
  void check_sample_bounds();
  void release_now();
  ModulationInputs modulation_inputs() const;
  // Whether the sample loops in the coming block: always (mode 1), or until the release (mode 3).
  bool loops_now() const {
    return sample_mode_ == 1 || (sample_mode_ == 3 && volume_envelope_.stage() < EnvelopeStage::release);
  }
  int actual_key() const;
  int actual_velocity() const;
  double nominal_pitch(int key) const;
  // The parts of a block that step() and step_unheard() share, forced inline: with two callers
  // the compiler kept the larger ones apart, a call in step()'s path.
  //
  // The start of every block, heard or not: the sample bounds, a delayed note-off, the
  // envelopes and LFOs advanced. False when the volume envelope has finished.
  [[gnu::always_inline]] bool start_block();
  // The block's gain. Both return -1 when silent this block, 0 when the voice is over, 1 when
  // it sounds. compute_gain, for step(), sets the block's target gain and gain ramp (locals,
  // not members: the block's output reads them right back, and a reload of a just-stored member
  // stalled) and changes nothing. For step_unheard(), mark_gain_presence keeps of gain_ only
  // whether it is zero (no table read; see gain_for_block).
  [[gnu::always_inline]] int compute_gain(double& target, double& gain_step, const double* attenuation_table);
  [[gnu::always_inline]] int mark_gain_presence();
  enum class GainPrecision : std::uint8_t { exact, zero_or_not };
  template <GainPrecision kPrecision>
  [[gnu::always_inline]] int gain_for_block(double& target, double& gain_step, const double* attenuation_table);
  // The modulation envelope as pitch and cutoff read it.
  double modulation_envelope_depth() const;
  // The block's phase increment: its pitch, from the LFOs and `modulation_envelope`.
  [[gnu::always_inline]] kernels::Phase block_increment(double modulation_envelope);
  // Moves the play position over the block. Returns the frames it plays, 0 once an unlooped
  // sample's end has passed (the voice is over; its position stays); sets where the block
  // starts reading, whether it loops, and whether the loop had been entered by then. Through
  // references, here and in gain_for_block: a returned struct cost step() some 20 instructions
  // a block, and a second stage branch in gain_for_block 6 (callgrind).
  [[gnu::always_inline]] int play_block(kernels::Phase increment, kernels::Phase& start, bool& looping,
                                        bool& looped_at_start);
  // play_block's two halves: the frames from `start`, which it first wraps into the loop; then
  // the position past them.
  [[gnu::always_inline]] int block_frames(kernels::Phase increment, bool looping, bool nearest,
                                          kernels::Phase& start, bool& looped_at_start) const;
  [[gnu::always_inline]] void advance_position(kernels::Phase start, int frames, kernels::Phase increment,
                                               bool looping, bool nearest, bool looped_at_start);
  // The pan ramp's end is the next block's start.
  void settle_pan();
  // The gain step() reached at the end of the last block: its target (see the definition for
  // the rounding). Gives a muted voice back what its light steps dropped.
  double last_block_gain();
  // Fills `out` for a block that renders nothing and returns `outcome`.
  static BlockOutcome no_sound(VoiceBlockControl& out, BlockOutcome outcome);
  // The 32.32 phase step for a pitch in absolute cents.
  kernels::Phase increment_for(double pitch_cents) const;
  // Bounds on the voice's output (full scale 1) from the next block on, with no further
  // events; valid once the volume envelope is past its attack: its largest sample, and how far
  // linear interpolation would move any sample from cubic (infinite where bends are unknown).
  struct FutureBounds {
    double peak = 0.0;
    double linear_error = std::numeric_limits<double>::infinity();
  };
  FutureBounds future_bounds(const double* attenuation_table) const;
  // After a sounding block: mutes the voice if nothing it can still play is audible, makes it
  // coarse if linear interpolation would not be heard.
  void assess_audibility(const double* attenuation_table);
  // Looked at every kAudibilityCheckBlocks blocks (12 ms), once a floor is set and the volume
  // envelope is past its attack (so only falls): see assess_audibility.
  static constexpr std::uint32_t kAudibilityCheckBlocks = 8;
  bool assesses_audibility() const {
    return environment_->audibility_floor > 0.0 && volume_envelope_.stage() >= EnvelopeStage::decay;
  }
  // How this voice's blocks are interpolated: the render's choice, or linear while coarse.
  kernels::Interpolation block_interpolation() const {
    return coarse_ ? kernels::Interpolation::linear : environment_->interpolation;
  }
  bool may_be_coarse(const FutureBounds& bounds) const;
  void recheck_coarse();
  // wakes_up() once a parameter has changed.
  bool reassess_after_change();

  // Per-block state first and together, from the object's first cache line (the class is
  // aligned to one) through filter_'s per-block part, about 380 bytes: step() reads all of it
  // every block, and across ~60 voices a block, state spread over more cache lines than that
  // cost more than the arithmetic.
  const VoiceEnvironment* environment_ = nullptr;
  VoiceStatus status_ = VoiceStatus::available;
  bool has_note_off_ = false;
  bool has_looped_ = false;
  bool check_bounds_ = false;
  bool first_block_ = true;  // the first bounds check also places the play position
  int sample_mode_ = 0;
  std::uint32_t frames_played_ = 0;   // grows by a block per block, silent or not
  std::uint32_t note_off_at_frames_ = 0;  // a delayed note-off, 0 for none
  kernels::Phase phase_ = 0;
  double gain_ = 0.0;          // the oscillator gain reached at the end of the last block
  double pitch_cents_ = 0.0;
  // The pitch (cents) of the last block that sounded and its phase increment: most blocks
  // repeat it (no pitch modulation, or an envelope at rest), and the increment is a pure
  // function of it and root_pitch_hz_. NaN when root_pitch_hz_ changed.
  double last_pitch_cents_ = std::numeric_limits<double>::quiet_NaN();
  kernels::Phase last_increment_ = 0;
  // centibels_to_gain(attenuation_), kept with it, and the gain of the lowest attenuation
  // controllers could still reach (set at start: the bound of the voice's future level).
  double attenuation_gain_ = 1.0;
  double min_attenuation_gain_ = 1.0;
  double noise_floor_unlooped_ = 0.0;
  double noise_floor_looped_ = 0.0;
  double mod_lfo_to_pitch_ = 0.0, mod_lfo_to_volume_ = 0.0, mod_lfo_to_cutoff_ = 0.0;
  double vib_lfo_to_pitch_ = 0.0;
  double filter_q_centibels_ = 0.0;  // initialFilterQ with its modulators
  bool muted_ = false;
  bool coarse_ = false;
  bool parameters_changed_ = false;  // since the voice was muted or made coarse
  double mod_env_to_pitch_ = 0.0, mod_env_to_cutoff_ = 0.0;
  kernels::PlaybackRegion region_;
  kernels::PanBlock output_gains_;  // left_from/right_from: gains now; *_to: targets
  TriangleLfo mod_lfo_;
  TriangleLfo vib_lfo_;
  Envelope volume_envelope_;
  Envelope modulation_envelope_;
  // Last: its per-block part comes first, its redesign state after it.
  LowpassFilterDesign filter_;

  // Read at note-on, on events and on stage or pitch changes.
  double root_pitch_hz_ = 1.0;
  EnvelopeShape volume_shape_;
  EnvelopeShape modulation_shape_;
  const PreparedSample* sample_ = nullptr;
  // What future_bounds reads of the sample and of the filter's gain for the voice's Q, found on
  // its first look (found, each is an out-of-line call and a table search) and kept while the
  // sample and the Q stay.
  mutable const SuffixBounds* suffix_bounds_ = nullptr;
  mutable FilterGainBounds::ForQ filter_gain_for_q_;
  const ChannelState* channel_ = nullptr;
  std::uint32_t sample_index_ = 0;
  int channel_number_ = 0;
  int key_ = 0;
  int velocity_ = 0;
  std::uint64_t note_id_ = 0;
  std::int64_t start_frame_ = 0;
  double root_pitch_cents_ = 0.0;
  double attenuation_ = 0.0;
  double previous_attenuation_ = 0.0;
  double pan_position_ = 0.0;
  double balance_ = 0.0;

  // Generators and modulators last: they are read at note-on and on controller changes, and at
  // several kilobytes they would spread the state every block reads over many cache lines.
  int modulator_count_ = 0;
  VoiceGenerators generators_;
  std::array<VoiceModulator, kMaxVoiceModulators> modulators_{};
};

}  // namespace tutti::engine::synth

// The block step, inline (see there).
#include "engine/synth/voice_step.h"  // IWYU pragma: export
