#pragma once
// The score of one output window: for every voice sounding in it, the control values of each
// of its blocks. It is computed by the control-rate model before any audio exists, so voices
// can be rendered independently (in any order, on any thread) and mixed in a fixed order.
#include <cstdint>
#include <vector>

#include "kernels/voice_block.h"

namespace tutti::engine::synth {

// One voice for one block. frames == 0 means the voice is silent in this block (envelope delay
// or zero gain): nothing is rendered and its oscillator does not move.
struct VoiceBlockControl {
  kernels::OscillatorBlock oscillator;
  kernels::FilterBlock filter;
  kernels::PanBlock pan;
  kernels::PlaybackRegion region;
};

struct ScoredVoice {
  std::uint64_t voice_id = 0;  // allocation order; identifies the voice across windows
  std::uint32_t slot = 0;      // index in the voice pool; keys the filter memory
  bool starts_here = false;    // the voice began in this window: its filter memory is cleared
  bool ends_here = false;      // the voice ends in this window: its filter memory is not kept
  kernels::SampleData data;
  kernels::Interpolation interpolation = kernels::Interpolation::cubic;
  std::uint32_t first_block = 0;      // block index inside the window
  std::uint32_t first_control = 0;    // index into WindowScore::controls
  std::uint32_t block_count = 0;
};

struct WindowScore {
  std::int64_t first_frame = 0;
  std::uint32_t block_count = 0;       // blocks of output in this window
  std::vector<ScoredVoice> voices;     // in allocation order
  std::vector<VoiceBlockControl> controls;

  void clear() {
    voices.clear();
    controls.clear();
    block_count = 0;
  }
};

}  // namespace tutti::engine::synth
