#pragma once
// Eight voices stepped side by side through a run of blocks. Voices do not affect one another
// between events, so a run's blocks can be taken block by block across voices as well as voice
// by voice. A voice's regular blocks (kernels/control_lanes.h: same stage, same pitch, not
// ending, not silent) are stepped in vectors, eight voices at once; its other blocks by
// Voice::step, on its own state written back from the lane first. Both compute the same bits,
// so the score is the one Voice::step alone makes (tests/engine/synth/control_batch_test.cc).
// Muted voices take lanes too, stepped as Voice::step_unheard steps them, without controls.
//
// A lane holds a copy of its voice's per-block state while the voice is stepped in vectors,
// and the unchanging part of its control record as a template: a regular block writes the
// template and the few fields that move (position, gain ramp, filter when its cutoff moved).
#include <array>
#include <cstdint>
#include <utility>

#include "engine/synth/voice.h"
#include "engine/synth/voice_block_control.h"
#include "kernels/control_lanes.h"

namespace tutti::engine::synth {

class ControlBatch {
 public:
  static constexpr int kLanes = kernels::kControlLanes;

  explicit ControlBatch(const VoiceEnvironment& environment);

  // Lane `lane` takes `voice` for the coming blocks; an `unheard` voice is muted, stepped as
  // Voice::step_unheard steps it (unheard_block), without controls.
  void begin(int lane, Voice& voice, bool unheard) {
    lanes_meta_[lane].voice = &voice;
    lanes_.unheard[lane] = unheard ? ~std::uint64_t{0} : 0;
    if (loadable(voice, unheard)) load(lane);
    else lanes_.active[lane] = 0;
  }
  // The regular blocks of all lanes in vectors; then block() for each lane.
  void step() { step_lanes_(lanes_, constants_, out_); }
  // How a lane's block went: its voice goes on in the lane, or its block finished it or muted
  // it (the voice is then out of the lane, its state its own).
  enum class LaneOutcome : std::uint8_t { goes_on, finished, muted };
  // The lane's block into `out` (uninitialised): what step() did, or Voice::step, with its
  // repeats marked against `previous`, the voice's block before it (null for none).
  [[gnu::always_inline]] LaneOutcome block(int lane, VoiceBlockControl& out, const VoiceBlockControl* previous) {
    if (out_.regular[lane] == 0) return scalar_block(lane, out, previous);
    Lane& meta = lanes_meta_[lane];
    out = meta.record;
    // The template marks its blocks as repeating both filter and region, which they do after
    // a block from the template; after any other block, they are compared (after a new filter
    // design, by redesign_filter).
    const bool filter_kept = out_.filter_changed[lane] == 0;
    if (!meta.follows_template && filter_kept) [[unlikely]] mark_repeats(out, previous);
    meta.follows_template = filter_kept;
    // Counted per lane: one counter for all would chain every lane's block through its store.
    meta.coarse_blocks += meta.record.interpolation != interpolation_ ? 1 : 0;
    ++meta.lane_blocks;
    out.oscillator.phase = out_.start[lane];
    out.oscillator.gain = static_cast<float>(out_.gain[lane]);
    out.oscillator.gain_step = static_cast<float>(out_.gain_step[lane]);
    out.oscillator.has_looped = out_.looped_at_start[lane] != 0;
    if (!filter_kept) redesign_filter(lane, out, previous);
    // The pan ramp's end is the next block's start. Only the first block can ramp (pan moves
    // only on events), and only then is the template written: a template written every block
    // stalled its next copy, whose wide loads could not take the narrow stores' data.
    if (meta.pan_ramps) settle_pan(meta);
    const auto frames = static_cast<std::uint32_t>(lanes_.frames[lane]);
    if (meta.assesses_audibility && (frames / kernels::kBlockFrames) % Voice::kAudibilityCheckBlocks == 0) {
      return assess_audibility(lane);
    }
    return LaneOutcome::goes_on;
  }
  // A muted voice's block: what step() did, or Voice::step_unheard. Never `muted` (it is).
  [[gnu::always_inline]] LaneOutcome unheard_block(int lane) {
    if (out_.regular[lane] == 0) return scalar_unheard_block(lane);
    Lane& meta = lanes_meta_[lane];
    ++meta.lane_blocks;
    if (meta.pan_ramps) settle_pan(meta);
    return LaneOutcome::goes_on;
  }
  // Blocks rendered linearly for a coarse voice (Voice::coarse), and blocks stepped in the
  // lanes, since the last call.
  std::uint64_t take_coarse_blocks() { return take(&Lane::coarse_blocks); }
  std::uint64_t take_lane_blocks() { return take(&Lane::lane_blocks); }
  // The lane's voice leaves the batch: its state is its own again.
  void end(int lane) {
    if (lanes_.active[lane] != 0) store(lane);
    lanes_.active[lane] = 0;
  }

 private:
  struct Lane {
    Voice* voice = nullptr;
    VoiceBlockControl record;  // what a regular block writes, apart from the moving fields
    bool follows_template = false;  // the lane's last block was the template's, its filter kept
    bool assesses_audibility = false;  // Voice::assesses_audibility, fixed while in the lane
    bool pan_ramps = false;            // the template's pan has not settled yet
    std::uint64_t coarse_blocks = 0;
    std::uint64_t lane_blocks = 0;
  };
  static void settle_pan(Lane& meta) {
    meta.record.pan.left_from = meta.record.pan.left_to;
    meta.record.pan.right_from = meta.record.pan.right_to;
    meta.pan_ramps = false;
  }

  // Whether the voice's next block can be stepped in a lane: muted exactly when `unheard`, in a
  // stage whose gain and depth the lanes compute (not the volume envelope's delay, not the
  // modulation envelope's convex attack), no pending work of an event (a bounds check, a coarse
  // recheck, a first filter design), and positions and frame counts within the lanes' signed
  // 64-bit range.
  bool loadable(const Voice& voice, bool unheard) const;
  void load(int lane);
  void store(int lane);
  LaneOutcome scalar_block(int lane, VoiceBlockControl& out, const VoiceBlockControl* previous);
  LaneOutcome scalar_unheard_block(int lane);
  std::uint64_t take(std::uint64_t Lane::*counter) {
    std::uint64_t blocks = 0;
    for (Lane& lane : lanes_meta_) blocks += std::exchange(lane.*counter, 0);
    return blocks;
  }
  void redesign_filter(int lane, VoiceBlockControl& out, const VoiceBlockControl* previous);
  LaneOutcome assess_audibility(int lane);

  // What of the voices' environment the lanes read, copied: the synthesizer holding both may
  // move.
  double output_rate_;
  FilterDesignCache* filter_designs_;
  kernels::Interpolation interpolation_;
  kernels::ControlLanesFn step_lanes_;
  kernels::ControlLaneConstants constants_;
  kernels::ControlLanes lanes_;
  kernels::ControlLaneOutput out_;
  std::array<Lane, kLanes> lanes_meta_{};
};

}  // namespace tutti::engine::synth
