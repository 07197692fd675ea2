#pragma once
// A Standard MIDI File after parsing: every channel message and the SysEx messages of all
// tracks merged into one time-ordered list, with each event's time in seconds from the tempo
// map. Meta events are consumed by the parser (tempo, end of track) and do not appear here.
#include <cstdint>
#include <string>
#include <vector>

namespace tutti::engine::midi {

enum class EventType : std::uint8_t {
  NoteOff,
  NoteOn,           // velocity 0 is turned into NoteOff by the parser
  PolyPressure,     // data1 key, data2 pressure
  ControlChange,    // data1 controller, data2 value
  ProgramChange,    // data1 program
  ChannelPressure,  // data1 pressure
  PitchBend,        // bend: 14-bit value, 8192 is centre
  SysEx,            // sysex_index into Song::sysex (payload without the leading F0 and the
                    // final F7; a divided SysEx's F7 continuation packets are appended)
};

struct Event {
  double seconds = 0.0;     // from the start of the song, after the tempo map
  std::int64_t tick = 0;    // absolute tick (format 2: on the concatenated timeline)
  EventType type = EventType::NoteOn;
  std::uint8_t channel = 0;  // 0..15
  std::uint8_t data1 = 0;
  std::uint8_t data2 = 0;
  std::uint16_t bend = 8192;
  std::uint16_t track = 0;  // 0-based index of the MTrk chunk, as in errors ("track 0")
  std::uint32_t sysex_index = 0;
};

struct TempoChange {
  std::int64_t tick = 0;
  double seconds = 0.0;
  std::uint32_t microseconds_per_quarter = 500000;
};

struct Song {
  std::string path;
  int format = 0;                 // 0, 1 or 2
  int track_count = 0;            // MTrk chunks read (warnings say if the header declared others)
  // Division: ticks per quarter note, or for SMPTE time the frames per second and ticks per
  // frame (then ticks_per_quarter is 0).
  int ticks_per_quarter = 0;
  int smpte_frames_per_second = 0;  // 24, 25, 29 (29.97 drop-frame) or 30
  int smpte_ticks_per_frame = 0;

  // Sorted by time; events at the same tick keep track order, then file order, which is the
  // order a player that walks the tracks one after another delivers them in.
  std::vector<Event> events;
  std::vector<std::vector<std::uint8_t>> sysex;
  // Starts with the tempo at tick 0 (500000 when the file sets none there). Empty for SMPTE
  // time, where tempo events do not affect timing.
  std::vector<TempoChange> tempo_map;
  double duration_seconds = 0.0;       // time of the last event of any track (incl. end of track)
  // Tolerated defects (missing End-of-Track, track length past the end of file...), one line
  // each, naming the track.
  std::vector<std::string> warnings;
};

}  // namespace tutti::engine::midi
