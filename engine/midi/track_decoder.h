#pragma once
// Decodes one MTrk chunk in a single pass, appending its channel and SysEx events to the
// song-wide vectors and its tempo changes to a list the reader turns into the tempo map.
//
// Choices where the SMF 1.0 spec is strict and real files are not (each one unambiguous):
// - Running status survives meta and SysEx events. The spec says they cancel it, but a data
//   byte right after one can only mean "repeat the last channel status", and many writers
//   rely on that; a data byte with no channel status yet in the track is still an error.
//   (FluidSynth instead re-uses the meta/SysEx status itself, which turns such data into
//   bogus meta events.) Running status never crosses tracks.
// - System common and real-time messages (F1-F6, F8-FE) are not SMF events. Those whose length
//   MIDI 1.0 defines are skipped with one warning per track (recorded clocks appear in real
//   files); the undefined F4, F5, F9 and FD are errors, since their length is unknown, and so
//   is a byte >= 0x80 among their data.
// - A channel message with an explicit status has a fixed length, so a byte >= 0x80 in a data
//   position is read as data, not as a new status (some writers put unclamped velocities and
//   controller values there, e.g. songwrite's 0xCC and 0xFF). Song keeps data bytes 0..127, so
//   such a message gets what FluidSynth 2.3, the reference, makes of it (measured with renders
//   that null against the repaired message): a note-on velocity or controller value above 127
//   plays as 127, pitch-bend bytes are masked to 7 bits, a note-off ends its note whatever its
//   release velocity, and a program or pressure value above 127 or a key above 127 is ignored.
//   One warning per track counts the repaired and dropped messages.
// - A tempo event whose length is not 3, or whose tempo is 0, is ignored with a warning.
// - End-of-Track with a non-empty payload still ends the track; bytes after it are ignored
//   with a warning. A track without End-of-Track ends at its last event, with a warning.
// - F0 SysEx payloads are kept without the F0 and without a final F7. A packet not ending in
//   F7 is a "divided" SysEx: following F7 packets of the track are appended to it until one
//   ends in F7. F7 packets outside a divided SysEx are escapes (raw bytes for the wire, often
//   real-time messages) and are skipped.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/common/expected.h"
#include "engine/midi/song.h"

namespace tutti::engine::midi::detail {

struct TempoEvent {
  std::int64_t tick = 0;
  std::uint32_t microseconds_per_quarter = 0;
};

struct TrackSource {
  std::span<const std::uint8_t> data;  // the chunk's data, already clamped to the file
  std::int64_t file_offset = 0;        // position of data[0] in the file, for errors
  std::uint16_t index = 0;             // 0-based MTrk number, as in Event::track
  std::int64_t start_tick = 0;         // 0, or in format 2 where the previous track ended
};

// Song-wide outputs shared by all tracks.
struct DecodeTarget {
  std::vector<Event>& events;
  std::vector<std::vector<std::uint8_t>>& sysex;
  std::vector<TempoEvent>& tempos;
  std::vector<std::string>& warnings;
  std::uint64_t max_events;  // events + tempo events, all tracks together
};

struct DecodedTrack {
  std::int64_t end_tick = 0;  // tick of End-of-Track, or of the last event without one
};

// `file_name` and the track index name the place in errors and warnings.
Expected<DecodedTrack> decode_track(const TrackSource& source, DecodeTarget& target,
                                    const std::string& file_name);

std::string track_label(std::uint16_t index);  // "track 3"

}  // namespace tutti::engine::midi::detail
