#pragma once
// Eight voices stepped side by side through a run of blocks. Voices do not affect one another
// between events, so a run's blocks can be taken block by block across voices as well as voice
// by voice. A voice's regular blocks (kernels/control_lanes.h: same stage, same pitch, not
// ending, not silent) are stepped in vectors, eight voices at once; its other blocks by
// Voice::step, on its own state written back from the lane first. Both compute the same bits,
// so the score is the one Voice::step alone makes (tests/engine/synth/control_batch_test.cc).
//
// A lane holds a copy of its voice's per-block state while the voice is stepped in vectors,
// and the unchanging part of its control record as a template: a regular block writes the
// template and the few fields that move (position, gain ramp, filter when its cutoff moved).
#include <array>
#include <cstdint>
#include <limits>

#include "engine/synth/conversions.h"
#include "engine/synth/voice.h"
#include "engine/synth/voice_block_control.h"
#include "kernels/control_lanes.h"

namespace tutti::engine::synth {

class ControlBatch {
 public:
  static constexpr int kLanes = kernels::kControlLanes;

  explicit ControlBatch(const VoiceEnvironment& environment);

  // Lane `lane` takes `voice` for the coming blocks.
  void begin(int lane, Voice& voice) {
    Lane& meta = lanes_meta_[lane];
    meta.voice = &voice;
    if (loadable(voice)) load(lane);
    else lanes_.active[lane] = 0;
  }
  // The regular blocks of all lanes in vectors; then block() for each lane.
  void step() { step_lanes_(lanes_, constants_, out_); }
  // The lane's block into `out` (uninitialised): what step() did, or Voice::step. Reports what
  // Voice::step would; the voice may be muted afterwards (Voice::muted), as after Voice::step.
  [[gnu::always_inline]] BlockOutcome block(int lane, VoiceBlockControl& out) {
    if (out_.regular[lane] == 0) return scalar_block(lane, out);
    Lane& meta = lanes_meta_[lane];
    out = meta.record;
    coarse_blocks_ += meta.coarse ? 1 : 0;
    ++lane_blocks_;
    out.oscillator.phase = out_.start[lane];
    out.oscillator.gain = static_cast<float>(out_.gain[lane]);
    out.oscillator.gain_step = static_cast<float>(out_.gain_step[lane]);
    out.oscillator.has_looped = out_.looped_at_start[lane] != 0;
    if (out_.filter_changed[lane] != 0) redesign_filter(lane, out);
    // The pan ramp's end is the next block's start. Only the first block can ramp (pan moves
    // only on events), and only then is the template written: a template written every block
    // stalled its next copy, whose wide loads could not take the narrow stores' data.
    if (meta.pan_ramps) settle_pan(meta);
    const auto frames = static_cast<std::uint32_t>(lanes_.frames[lane]);
    if (meta.assesses_audibility && (frames / kernels::kBlockFrames) % kAudibilityCheckBlocks == 0) {
      assess_audibility(lane);
    }
    return BlockOutcome::sounding;
  }
  // Blocks rendered linearly for a coarse voice (Voice::coarse) since the last call.
  std::uint64_t take_coarse_blocks() {
    const std::uint64_t blocks = coarse_blocks_;
    coarse_blocks_ = 0;
    return blocks;
  }
  // Blocks stepped in the lanes since the last call.
  std::uint64_t take_lane_blocks() {
    const std::uint64_t blocks = lane_blocks_;
    lane_blocks_ = 0;
    return blocks;
  }
  // The lane's voice leaves the batch: its state is its own again.
  void end(int lane) {
    if (lanes_.active[lane] != 0) store(lane);
    lanes_.active[lane] = 0;
  }

 private:
  // Voice::assess_audibility's period, in blocks.
  static constexpr std::uint32_t kAudibilityCheckBlocks = 8;
  struct Lane {
    Voice* voice = nullptr;
    VoiceBlockControl record;  // what a regular block writes, apart from the moving fields
    bool assesses_audibility = false;
    bool pan_ramps = false;  // the template's pan has not settled yet
    bool coarse = false;     // the template's interpolation is not the render's
  };
  static void settle_pan(Lane& meta) {
    meta.record.pan.left_from = meta.record.pan.left_to;
    meta.record.pan.right_from = meta.record.pan.right_to;
    meta.pan_ramps = false;
  }

  // Whether the voice's next block can be stepped in a lane: in a stage whose gain and depth
  // the lanes compute (not the volume envelope's delay, not the modulation envelope's convex
  // attack), no pending work of an event (a bounds check, a coarse recheck, a first filter
  // design), and positions and frame counts within the lanes' signed 64-bit range.
  bool loadable(const Voice& voice) const;
  void load(int lane);
  void store(int lane);
  BlockOutcome scalar_block(int lane, VoiceBlockControl& out);
  void redesign_filter(int lane, VoiceBlockControl& out);
  void assess_audibility(int lane);

  // What of the voices' environment the lanes read, copied: the synthesizer holding both may
  // move.
  double output_rate_;
  kernels::Interpolation interpolation_;
  double audibility_floor_;
  kernels::ControlLanesFn step_lanes_;
  kernels::ControlLaneConstants constants_;
  kernels::ControlLanes lanes_;
  kernels::ControlLaneOutput out_;
  std::array<Lane, kLanes> lanes_meta_{};
  // Counted from the templates, not read back from the records just written (a read of a
  // narrow field of a wide copy waited for the copy).
  std::uint64_t coarse_blocks_ = 0;
  std::uint64_t lane_blocks_ = 0;
};

}  // namespace tutti::engine::synth
