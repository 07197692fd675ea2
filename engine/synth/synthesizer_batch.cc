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
  std::uint32_t heard = 0;
  std::uint32_t unheard = 0;
  // Entries in voice order, as step_voice makes them; the lists' room after that, since making
  // an entry may move the lists. An unheard voice's entry in this window, if it has one, ends
  // with the blocks it has (as in step_muted).
  for (int lane = 0; lane < count_of_voices; ++lane) {
    const BatchVoice& voice = voices[lane];
    if (voice.unheard) {
      slot_entry_[voice.slot] = -1;
      unheard |= std::uint32_t{1} << lane;
    } else {
      entries[lane] = entry_of(*voice.voice, voice.slot, window_blocks_);
      heard |= std::uint32_t{1} << lane;
    }
  }
  ControlBatch& batch = *control_batch_;
  // Each heard lane's block before the one being written (mark_repeats).
  std::array<const VoiceBlockControl*, kLanes> previous{};
  for (int lane = 0; lane < count_of_voices; ++lane) {
    if (!voices[lane].unheard) {
      ControlList& list = entry_controls_[entries[lane]];
      outputs[lane] = list.reserve_more(count);
      previous[lane] = list.last_or_null();
    }
    batch.begin(lane, *voices[lane].voice, voices[lane].unheard);
  }

  const auto account = [&](std::uint32_t stepped) {
    statistics_.voice_blocks += stepped;
    blocks_needed = std::max(blocks_needed, stepped);
  };
  for (std::uint32_t block = 0; block < count && (heard | unheard) != 0; ++block) {
    batch.step();
    for (std::uint32_t bits = heard; bits != 0; bits &= bits - 1) {
      const int lane = std::countr_zero(bits);
      VoiceBlockControl& out = outputs[lane][block];
      const ControlBatch::LaneOutcome outcome = batch.block(lane, out, previous[lane]);
      previous[lane] = &out;
      if (outcome == ControlBatch::LaneOutcome::goes_on) continue;
      heard &= ~(std::uint32_t{1} << lane);
      const bool finished = outcome == ControlBatch::LaneOutcome::finished;
      account(end_run(*voices[lane].voice, voices[lane].slot, entries[lane], block + 1, count, finished));
    }
    for (std::uint32_t bits = unheard; bits != 0; bits &= bits - 1) {
      const int lane = std::countr_zero(bits);
      if (batch.unheard_block(lane) == ControlBatch::LaneOutcome::goes_on) continue;
      unheard &= ~(std::uint32_t{1} << lane);
      account(finish_muted(*voices[lane].voice, voices[lane].slot, block + 1));
    }
  }
  for (std::uint32_t bits = heard | unheard; bits != 0; bits &= bits - 1) {
    const int lane = std::countr_zero(bits);
    batch.end(lane);
    if (voices[lane].unheard) {
      statistics_.muted_voice_blocks += count;
      account(count);
    } else {
      account(end_run(*voices[lane].voice, voices[lane].slot, entries[lane], count, count, false));
    }
  }
  statistics_.coarse_voice_blocks += batch.take_coarse_blocks();
  statistics_.lane_voice_blocks += batch.take_lane_blocks();
}

}  // namespace tutti::engine::synth
