#pragma once
// The MIDI side of the engine: sixteen channels' state, the voice pool with its allocation and
// stealing rules, and the control-rate stepping of every voice, block by block, into a window
// score. Behaviour follows FluidSynth 2.3 (engine/FLUIDSYNTH_MODEL.md) so that renders match it.
#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/synth/channel_state.h"
#include "engine/synth/control_batch.h"
#include "engine/synth/prepared_bank.h"
#include "engine/synth/score.h"
#include "engine/synth/voice.h"

namespace tutti::engine::synth {

inline constexpr int kMidiChannels = 16;
inline constexpr int kPercussionChannel = 9;  // MIDI channel 10

struct SynthSettings {
  double sample_rate = 44100.0;
  // FluidSynth's synth.gain default, 0.2 read as a float.
  double gain = static_cast<double>(0.2f);
  int polyphony = 256;
  double min_note_length_ms = 10.0;
  kernels::Interpolation interpolation = kernels::Interpolation::cubic;
  // Voices whose output can no longer reach this peak (full scale 1) are muted (Voice::muted).
  // 0, the default, renders every voice to the end of its envelope, as FluidSynth does; the
  // command line sets a floor below what the output format holds (tools/render_command.cc).
  double audibility_floor = 0.0;
  // With a floor and cubic interpolation: voices whose linear interpolation would stray from
  // cubic by less than the floor are rendered linearly (Voice::coarse).
  bool coarse_interpolation = false;
  // Regular blocks stepped eight voices at a time (ControlBatch), the others by Voice::step;
  // off, every block by Voice::step. The score is the same either way: off is for the tests
  // that compare the two.
  bool batch_control = true;
};

// How the bank-select controllers are read (FluidSynth's synth.midi-bank-select); system
// exclusive reset messages switch it.
enum class BankSelectStyle : std::uint8_t { gs, gm, xg };

struct SynthStatistics {
  std::uint64_t notes_started = 0;     // note-ons that found a preset
  std::uint64_t notes_without_preset = 0;
  std::uint64_t voices_started = 0;
  std::uint64_t voices_stolen = 0;
  int peak_voices = 0;
  std::uint64_t voice_blocks = 0;        // blocks stepped, voice by voice
  std::uint64_t muted_voice_blocks = 0;  // of those, blocks of muted voices (not rendered)
  std::uint64_t coarse_voice_blocks = 0;  // of those, blocks rendered linearly (Voice::coarse)
  std::uint64_t lane_voice_blocks = 0;    // of those, blocks stepped in ControlBatch's lanes
};

class Synthesizer {
 public:
  Synthesizer(const PreparedBank& bank, const SynthSettings& settings);

  // MIDI messages, applied before the next block.
  void note_on(int channel, int key, int velocity);
  void note_off(int channel, int key);
  void control_change(int channel, int controller, int value);
  void program_change(int channel, int program);
  void pitch_bend(int channel, int value);
  void channel_pressure(int channel, int value);
  void key_pressure(int channel, int key, int value);
  void system_exclusive(std::span<const std::uint8_t> payload);  // without the leading F0
  // The end of the song: lift the sustain and sostenuto pedals on every channel.
  void release_pedals();
  // Release every note still held, so that a song with unterminated notes still ends.
  void release_all_notes();

  // Window scoring: begin, step blocks, then take the score.
  void begin_window(std::int64_t first_frame);
  // Steps every playing voice through `count` blocks, between which no event may fall; the
  // score is the one `count` calls of step_block() make. With `end_when_idle` (the song's
  // tail), blocks after the one in which the last voice finished are not scored. Returns the
  // blocks the window grew by: `count`, or with `end_when_idle` fewer once every voice is over.
  std::uint32_t step_blocks(std::uint32_t count, bool end_when_idle = false);
  void step_block() { step_blocks(1); }
  void finish_window(WindowScore& score);
  // Before a window's first block: take `score`'s control lists to write this window
  // into. They are the lists of the window rendered last, still in cache, where the lists kept
  // here were last used windows ago; first writes to those missed the cache.
  void reuse_lists_of(WindowScore& score);

  int active_voices() const { return active_voices_; }
  std::int64_t frames_elapsed() const { return frame_; }
  const SynthStatistics& statistics() const { return statistics_; }
  const ChannelState& channel(int index) const { return channels_[static_cast<std::size_t>(index)]; }
  const VoiceEnvironment& environment() const { return environment_; }

 private:
  void reset_channel(ChannelState& channel, int number);
  void reset_controllers(ChannelState& channel);
  void system_reset();
  void select_program(ChannelState& channel, int program);
  void release_same_key(int channel, int key);
  // A free slot, or a stolen one; `pan_memory` receives the gains the new note ramps from.
  Voice* allocate_voice(std::uint32_t& slot, kernels::PanBlock& pan_memory);
  void start_zone_voice(ChannelState& channel, const PreparedPresetZone& preset_zone,
                        const VoiceZone& voice_zone, int key, int velocity);
  void kill_exclusive_class(const Voice& new_voice, std::uint32_t new_slot);
  void modulate_channel(int channel, bool is_cc, int index);
  void data_entry(ChannelState& channel, int value);
  void set_channel_generator(ChannelState& channel, int generator, double value);
  // One voice through up to `count` blocks from the window's block window_blocks_ on; returns
  // the blocks it was stepped, fewer than `count` when it finished.
  std::uint32_t step_voice(Voice& voice, std::uint32_t slot, std::uint32_t count);
  // Up to ControlBatch::kLanes voices through `count` blocks, side by side (ControlBatch): the
  // score and the voices' states step_voice (step_muted for unheard ones) makes of each. Raises
  // `blocks_needed` to the blocks each voice was stepped.
  struct BatchVoice {
    Voice* voice = nullptr;
    std::uint32_t slot = 0;
    bool unheard = false;  // muted and not woken: stepped as step_muted steps it
  };
  void step_batch(const BatchVoice* voices, int count_of_voices, std::uint32_t count, std::uint32_t& blocks_needed);
  // The end of a sounding voice's run of `count` blocks once `stepped` of them have written
  // their controls to `entry`: the voice finished (its entry ends), was muted by the last one
  // (the rest of the run is step_muted's), or went through the run. Returns all the blocks it
  // was stepped.
  std::uint32_t end_run(Voice& voice, std::uint32_t slot, std::size_t entry, std::uint32_t stepped,
                        std::uint32_t count, bool finished);
  // The entry of the voice in `slot` in this window, made (first scored at `block`) if it has
  // none.
  std::size_t entry_of(const Voice& voice, std::uint32_t slot, std::uint32_t block);
  // The rest of a run of `count` blocks of a muted voice that stays muted: its light steps
  // (Voice::step_unheard), no controls. Only an event wakes a muted voice, and none falls inside
  // a run, so once a block of the run finds the voice muted, all the run's later blocks do. Returns
  // the blocks stepped, fewer than `count` when the voice finished.
  std::uint32_t step_muted(Voice& voice, std::uint32_t slot, std::uint32_t count);
  // A muted voice that finished after `stepped` blocks of its run: counted, its slot freed.
  // Returns `stepped`.
  std::uint32_t finish_muted(Voice& voice, std::uint32_t slot, std::uint32_t stepped) {
    statistics_.muted_voice_blocks += stepped;
    free_finished(voice, slot);
    return stepped;
  }
  // Puts the window's entries in the order stepping block by block makes: by first block,
  // then slot (the mixing order).
  void order_entries();
  // The playing voices in slot order, for range-for: walks the set bits of playing_slots_, so
  // every voice it yields is playing.
  class PlayingVoices {
   public:
    class iterator {
     public:
      iterator(Voice* voices, const std::uint64_t* words, std::size_t word, std::size_t word_count)
          : voices_(voices), words_(words), word_(word), word_count_(word_count) {
        bits_ = word_ < word_count_ ? words_[word_] : 0;
        skip_empty_words();
      }
      Voice& operator*() const { return voices_[slot()]; }
      std::uint32_t slot() const {
        return static_cast<std::uint32_t>(word_ * 64 + static_cast<std::size_t>(std::countr_zero(bits_)));
      }
      iterator& operator++() {
        bits_ &= bits_ - 1;
        skip_empty_words();
        return *this;
      }
      bool operator!=(const iterator& other) const { return word_ != other.word_ || bits_ != other.bits_; }

     private:
      void skip_empty_words() {
        while (bits_ == 0 && word_ < word_count_) {
          ++word_;
          bits_ = word_ < word_count_ ? words_[word_] : 0;
        }
      }
      Voice* voices_;
      const std::uint64_t* words_;
      std::size_t word_, word_count_;
      std::uint64_t bits_ = 0;
    };
    PlayingVoices(Voice* voices, const std::vector<std::uint64_t>& words) : voices_(voices), words_(words) {}
    iterator begin() const { return iterator(voices_, words_.data(), 0, words_.size()); }
    iterator end() const { return iterator(voices_, words_.data(), words_.size(), words_.size()); }

   private:
    Voice* voices_;
    const std::vector<std::uint64_t>& words_;
  };
  PlayingVoices playing_voices() { return PlayingVoices(voices_.data(), playing_slots_); }
  void mark_playing(std::uint32_t slot) { playing_slots_[slot / 64] |= std::uint64_t{1} << (slot % 64); }
  void mark_available(std::uint32_t slot) { playing_slots_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64)); }
  // A voice whose step reported it finished, heard or muted: its slot is free for the next note.
  void free_finished(Voice& voice, std::uint32_t slot) {
    voice.set_status(VoiceStatus::available);
    mark_available(slot);
    --active_voices_;
  }

  const PreparedBank& bank_;
  SynthSettings settings_;
  VoiceEnvironment environment_;
  BankSelectStyle bank_select_style_ = BankSelectStyle::gs;
  std::array<ChannelState, kMidiChannels> channels_{};
  std::vector<Voice> voices_;
  // One bit per slot, set while its voice plays. Voices are large (their generators and
  // modulators), so finding the playing ones through this instead of through every slot's
  // status keeps a block's scan from touching every voice's memory.
  std::vector<std::uint64_t> playing_slots_;
  // FluidSynth gives each voice slot a second render voice for stealing: a stolen voice's is
  // still the mixer's, so the new note takes the other one, and ramps its first block's pan
  // gains from wherever that one was left (zero when never used). Per slot, those gains.
  std::vector<kernels::PanBlock> overflow_pan_memory_;
  std::uint64_t next_note_id_ = 0;
  std::uint64_t note_id_for_new_voices_ = 0;
  std::int64_t frame_ = 0;  // frames rendered so far (the start of the next block)
  int active_voices_ = 0;
  SynthStatistics statistics_;
  // The environment's filter designs, on the heap so that their address stays put.
  std::unique_ptr<FilterDesignCache> filter_designs_ = std::make_unique<FilterDesignCache>();
  std::unique_ptr<ControlBatch> control_batch_;  // made with the environment

  // The window being scored: per voice slot, the entry of the voice it holds (or -1), and per
  // entry its controls, flattened into the score at the end of the window.
  std::int64_t window_first_frame_ = 0;
  std::uint32_t window_blocks_ = 0;
  std::vector<int> slot_entry_;
  std::vector<bool> slot_fresh_;  // the voice in the slot has not been stepped yet
  std::vector<ScoredVoice> entries_;
  std::vector<ControlList> entry_controls_;  // swapped into the score
  std::vector<std::uint32_t> entry_order_;    // scratch for order_entries
};

}  // namespace tutti::engine::synth
