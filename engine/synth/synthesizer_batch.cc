// Synthesizer::step_batch: a run of blocks for up to eight voices at once (ControlBatch), with
// the same entries, controls, statistics and voice states as step_voice gives each of them.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

#include "engine/synth/synthesizer.h"

namespace tutti::engine::synth {

void Synthesizer::step_batch(const BatchVoice* voices, int count_of_voices, std::uint32_t count,
                             std::uint32_t& blocks_needed) {
  constexpr int kLanes = ControlBatch::kLanes;
  std::array<std::size_t, kLanes> entries{};
  std::array<VoiceBlockControl*, kLanes> outputs{};
  // Entries in voice order, as step_voice makes them; the lists' room after that, since making
  // an entry may move the lists.
  for (int lane = 0; lane < count_of_voices; ++lane) {
    entries[lane] = entry_of(*voices[lane].voice, voices[lane].slot, window_blocks_);
  }
  ControlBatch& batch = *control_batch_;
  for (int lane = 0; lane < count_of_voices; ++lane) {
    outputs[lane] = entry_controls_[entries[lane]].reserve_more(count);
    batch.begin(lane, *voices[lane].voice);
  }

  std::uint32_t live = (std::uint32_t{1} << count_of_voices) - 1;
  for (std::uint32_t block = 0; block < count && live != 0; ++block) {
    batch.step();
    for (std::uint32_t bits = live; bits != 0; bits &= bits - 1) {
      const int lane = std::countr_zero(bits);
      VoiceBlockControl& out = outputs[lane][block];
      const BlockOutcome outcome = batch.block(lane, out);
      const bool finished = outcome == BlockOutcome::finished;
      Voice& voice = *voices[lane].voice;
      if (!finished && !voice.muted()) continue;
      // Out of its lane already: a block that finishes or mutes a voice leaves it stored.
      live &= ~(std::uint32_t{1} << lane);
      const std::uint32_t stepped = leave_batch(voice, voices[lane].slot, entries[lane], block + 1, count, finished);
      statistics_.voice_blocks += stepped;
      blocks_needed = std::max(blocks_needed, stepped);
    }
  }
  for (std::uint32_t bits = live; bits != 0; bits &= bits - 1) {
    const int lane = std::countr_zero(bits);
    batch.end(lane);
    entry_controls_[entries[lane]].extend(count);
    statistics_.voice_blocks += count;
    blocks_needed = std::max(blocks_needed, count);
  }
  statistics_.coarse_voice_blocks += batch.take_coarse_blocks();
  statistics_.lane_voice_blocks += batch.take_lane_blocks();
}

std::uint32_t Synthesizer::leave_batch(Voice& voice, std::uint32_t slot, std::size_t entry, std::uint32_t stepped,
                                       std::uint32_t count, bool finished) {
  entry_controls_[entry].extend(stepped);
  if (finished) {
    free_finished(voice, slot);
    entries_[entry].ends_here = true;
    slot_entry_[slot] = -1;
    return stepped;
  }
  // Muted by its last block: the rest of the run is muted too (see step_muted).
  return stepped < count ? stepped + step_muted(voice, slot, count - stepped) : count;
}

}  // namespace tutti::engine::synth
