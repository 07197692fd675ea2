#pragma once
// What `tutti info FILE.mid` reports about a parsed song: its layout, length, and which
// channels and instruments it uses.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/midi/song.h"

namespace tutti::engine::midi {

// A program change with the bank select values in effect on its channel when it came.
struct ProgramSelection {
  int bank_msb = -1;  // controller 0, -1 if none was seen on the channel before
  int bank_lsb = -1;  // controller 32, -1 if none was seen on the channel before
  int program = 0;    // 0..127 (General MIDI numbers them 1..128)
  bool operator==(const ProgramSelection&) const = default;
};

struct ChannelUse {
  int channel = 0;          // 0..15; users call it channel + 1
  bool percussion = false;  // MIDI channel 10, the General MIDI drum channel
  std::uint64_t event_count = 0;
  std::uint64_t note_count = 0;  // note-ons
  // Distinct selections in order of first use. Empty: the channel plays the default program 0.
  std::vector<ProgramSelection> programs;
};

struct SongSummary {
  std::string path;
  int format = 0;
  int track_count = 0;
  int ticks_per_quarter = 0;  // 0 for SMPTE time
  int smpte_frames_per_second = 0;
  int smpte_ticks_per_frame = 0;
  double duration_seconds = 0.0;
  std::uint64_t event_count = 0;
  std::uint64_t note_count = 0;  // note-ons, all channels
  std::uint64_t sysex_count = 0;
  // Tempo map entries after the tempo in effect at tick 0, and that initial tempo (0 for SMPTE).
  std::uint64_t tempo_changes = 0;
  std::uint32_t initial_microseconds_per_quarter = 0;
  std::vector<ChannelUse> channels;  // channels with at least one event, by channel number
  std::vector<std::string> warnings;
};

SongSummary summarize(const Song& song);

// A few human-readable lines (channels numbered 1..16), ending in a newline.
std::string to_text(const SongSummary& summary);

}  // namespace tutti::engine::midi
