#pragma once
// The SF2 modulation and vibrato LFOs: a triangle between -1 and 1, starting at 0 and rising,
// advanced once per 64-frame block as FluidSynth does.
#include <cstdint>

namespace tutti::engine::synth {

// A triangle LFO stepped once per block after its delay (in frames) has passed.
class TriangleLfo {
 public:
  void reset() { value_ = 0.0; }
  void set_increment_per_block(double increment) { increment_ = increment; }
  void set_delay_frames(std::uint32_t frames) { delay_frames_ = frames; }

  // `frames_elapsed`: frames the voice has played before this block.
  void advance(std::uint32_t frames_elapsed) {
    if (frames_elapsed < delay_frames_) return;
    value_ += increment_;
    if (value_ > 1.0) {
      increment_ = -increment_;
      value_ = 2.0 - value_;
    } else if (value_ < -1.0) {
      increment_ = -increment_;
      value_ = -2.0 - value_;
    }
  }
  double value() const { return value_; }
  // For stepping elsewhere (the control lanes of ControlBatch): the direction flips at a peak.
  double increment_per_block() const { return increment_; }
  std::uint32_t delay_frames() const { return delay_frames_; }
  void set_state(double value, double increment) {
    value_ = value;
    increment_ = increment;
  }

 private:
  double value_ = 0.0;
  double increment_ = 0.0;
  std::uint32_t delay_frames_ = 0;
};

}  // namespace tutti::engine::synth
