#pragma once
// The score of one output window: for every voice sounding in it, the control values of each
// of its blocks. It is computed by the control-rate model before any audio exists, so voices
// can be rendered independently (in any order, on any thread) and mixed in a fixed order.
#include <cstdint>
#include <vector>

#include "engine/synth/voice_block_control.h"
#include "kernels/voice_block.h"

namespace tutti::engine::synth {

struct ScoredVoice {
  std::uint64_t voice_id = 0;  // allocation order; identifies the voice across windows
  std::uint32_t slot = 0;      // index in the voice pool; keys the filter memory
  bool starts_here = false;    // the voice began in this window: its filter memory is cleared
  bool ends_here = false;      // the voice ends in this window: its filter memory is not kept
  kernels::SampleData data;
  kernels::Interpolation interpolation = kernels::Interpolation::cubic;
  std::uint32_t first_block = 0;      // block index inside the window
  std::uint32_t block_count = 0;      // blocks scored, from first_block on
};

struct WindowScore {
  std::int64_t first_frame = 0;
  std::uint32_t block_count = 0;       // blocks of output in this window
  std::vector<ScoredVoice> voices;     // in allocation order
  // controls[v][i]: voice v's control for block first_block + i. One list per voice, handed
  // over from the synthesizer by swapping, so no window's controls are ever copied; the lists
  // past voices.size() are spare capacity being recycled, not voices.
  std::vector<ControlList> controls;

  const VoiceBlockControl& control(std::size_t voice, std::uint32_t block) const {
    return controls[voice][block - voices[voice].first_block];
  }

  void clear() {
    voices.clear();
    for (auto& list : controls) list.clear();
    block_count = 0;
  }
};

}  // namespace tutti::engine::synth
