#pragma once
// The SF2 DAHDSR envelope advanced once per 64-frame block, in FluidSynth's formulation: each
// stage is a count of blocks and a step `value = coeff * value + increment`, clamped to the
// stage's [min, max]; leaving the range ends the stage early.
//
// For the volume envelope the value is linear amplitude during attack and a normalised
// attenuation (1 = 0 dB, 0 = -96 dB) afterwards; for the modulation envelope it is the
// modulation depth 0..1.
//
// An envelope is two objects: its shape (the segment of every stage), read only when a stage
// begins or a parameter changes, and its state (stage, value and a copy of the current stage's
// segment), read every block. A voice keeps the states of both its envelopes with the rest of
// its per-block state and the shapes elsewhere, so the blocks of ~60 voices touch fewer cache
// lines.
#include <array>
#include <cstdint>

namespace tutti::engine::synth {

enum class EnvelopeStage : std::uint8_t { delay, attack, hold, decay, sustain, release, finished };
inline constexpr int kEnvelopeStageCount = 7;

struct EnvelopeSegment {
  std::uint32_t blocks = 0;
  double coeff = 0.0;
  double increment = 0.0;
  double min = -1.0;
  double max = 1.0;
};

class EnvelopeShape {
 public:
  EnvelopeShape() {
    // Sustain and finished never end by count; their shape never changes.
    segments_[index(EnvelopeStage::sustain)] = {0xffffffffu, 1.0, 0.0, -1.0, 2.0};
    segments_[index(EnvelopeStage::finished)] = {0xffffffffu, 0.0, 0.0, -1.0, 1.0};
  }
  const EnvelopeSegment& segment(EnvelopeStage stage) const { return segments_[index(stage)]; }

 private:
  friend class Envelope;
  static constexpr int index(EnvelopeStage stage) { return static_cast<int>(stage); }
  std::array<EnvelopeSegment, kEnvelopeStageCount> segments_{};
};

// The per-block state. Every call that may change the stage takes the envelope's shape.
class Envelope {
 public:
  // A change applies to the stage in progress too.
  void set_segment(EnvelopeShape& shape, EnvelopeStage stage, const EnvelopeSegment& segment) {
    shape.segments_[EnvelopeShape::index(stage)] = segment;
    if (stage == stage_) current_ = segment;
  }

  void reset(const EnvelopeShape& shape) {
    value_ = 0.0;
    enter(shape, EnvelopeStage::delay);
  }

  // One block.
  void advance(const EnvelopeShape& shape) {
    while (blocks_in_stage_ >= current_.blocks) {
      // Leaving decay by count lands exactly on the sustain level.
      if (stage_ == EnvelopeStage::decay) value_ = current_.min * current_.coeff;
      enter(shape, next(stage_));
    }
    double x = current_.coeff * value_ + current_.increment;
    if (x < current_.min) {
      x = current_.min;
      enter(shape, next(stage_));
    } else if (x > current_.max) {
      x = current_.max;
      enter(shape, next(stage_));
    } else {
      ++blocks_in_stage_;
    }
    value_ = x;
  }

  EnvelopeStage stage() const { return stage_; }
  double value() const { return value_; }
  // The current stage's segment and the blocks done in it, for stepping elsewhere (the control
  // lanes of ControlBatch), and the progress such stepping made within the stage.
  const EnvelopeSegment& segment() const { return current_; }
  std::uint32_t blocks_in_stage() const { return blocks_in_stage_; }
  void set_progress(double value, std::uint32_t blocks_in_stage) {
    value_ = value;
    blocks_in_stage_ = blocks_in_stage;
  }
  void set_value(double value) { value_ = value; }
  void enter(const EnvelopeShape& shape, EnvelopeStage stage) {
    stage_ = stage;
    blocks_in_stage_ = 0;
    current_ = shape.segment(stage);
  }

 private:
  static constexpr EnvelopeStage next(EnvelopeStage stage) {
    return stage == EnvelopeStage::finished
               ? stage
               : static_cast<EnvelopeStage>(EnvelopeShape::index(stage) + 1);
  }

  // 56 bytes: the state and a copy of the current stage's segment, kept equal to the shape's
  // segment of stage_ (a new shape's delay segment is the default one, as current_ starts).
  EnvelopeStage stage_ = EnvelopeStage::delay;
  std::uint32_t blocks_in_stage_ = 0;
  double value_ = 0.0;
  EnvelopeSegment current_;
};

}  // namespace tutti::engine::synth
