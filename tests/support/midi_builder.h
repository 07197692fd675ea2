#pragma once
// Standard MIDI Files built in code, so tests need no binary fixtures:
//
//   MidiBuilder b(480);
//   auto& t = b.track();
//   t.tempo(0, 500000).note_on(0, 0, 60, 100).note_off(480, 0, 60);
//   std::vector<std::uint8_t> bytes = b.bytes();
//
// Event methods take `delta`, the ticks since the previous event of the same track. Values are
// written as given (no masking beyond the channel nibble), so a test can also write invalid data
// bytes; raw() and the *_override setters write malformed files on purpose.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <string>
#include <vector>

namespace tutti::test {

using Bytes = std::vector<std::uint8_t>;

// A variable-length quantity as SMF writes delta times and lengths: 7 bits per byte, most
// significant first. Values from 2^28 on take 5 bytes, which readers must refuse.
Bytes vlq_bytes(std::uint32_t value);

enum class RunningStatus {
  Off,         // every channel message carries its status byte
  Strict,      // status omitted when it repeats; meta and SysEx events cancel it (SMF 1.0)
  AcrossMeta,  // status omitted when it repeats, even after meta and SysEx events
};

class MidiTrack {
 public:
  MidiTrack& note_on(std::uint32_t delta, int channel, int key, int velocity);
  MidiTrack& note_off(std::uint32_t delta, int channel, int key, int velocity = 64);
  MidiTrack& poly_pressure(std::uint32_t delta, int channel, int key, int pressure);
  MidiTrack& control_change(std::uint32_t delta, int channel, int controller, int value);
  MidiTrack& program_change(std::uint32_t delta, int channel, int program);
  MidiTrack& channel_pressure(std::uint32_t delta, int channel, int pressure);
  MidiTrack& pitch_bend(std::uint32_t delta, int channel, int value);  // 0..16383, centre 8192

  // F0 <length> body F7: a complete SysEx; `body` excludes F0 and F7.
  MidiTrack& sysex(std::uint32_t delta, const Bytes& body);
  // F0 <length> bytes, written exactly (no F7 added): the first packet of a divided SysEx.
  MidiTrack& sysex_packet(std::uint32_t delta, const Bytes& bytes);
  // F7 <length> bytes: a divided SysEx continuation, or an escape.
  MidiTrack& escape(std::uint32_t delta, const Bytes& bytes);

  MidiTrack& tempo(std::uint32_t delta, std::uint32_t microseconds_per_quarter);
  MidiTrack& meta(std::uint32_t delta, int type, const Bytes& data);
  MidiTrack& text(std::uint32_t delta, const std::string& text);        // meta 0x01
  MidiTrack& track_name(std::uint32_t delta, const std::string& name);  // meta 0x03
  // Written at the end automatically (delta 0) unless this or omit_end_of_track() is called.
  MidiTrack& end_of_track(std::uint32_t delta = 0);
  MidiTrack& omit_end_of_track();

  // Bytes appended verbatim (no delta time): the escape hatch for malformed tracks.
  MidiTrack& raw(const Bytes& bytes);
  MidiTrack& raw(std::initializer_list<std::uint8_t> bytes) { return raw(Bytes(bytes)); }

  MidiTrack& running_status(RunningStatus mode);
  // The MTrk length field says `length` instead of the true data size.
  MidiTrack& length_override(std::uint32_t length);

  // Data bytes written so far (without the automatic End-of-Track): data()[size()] is where
  // the next event starts. Add MidiBuilder::track_data_offset() for a file offset.
  std::size_t size() const { return data_.size(); }
  // The chunk's data as it will be written, automatic End-of-Track included.
  Bytes data() const;
  std::uint32_t chunk_length() const;

 private:
  MidiTrack& channel_message(std::uint32_t delta, int kind, int channel,
                             std::initializer_list<int> values);
  void start_event(std::uint32_t delta);
  void write_length_and_bytes(const Bytes& bytes);
  void cancel_running_status();

  Bytes data_;
  RunningStatus running_status_ = RunningStatus::Off;
  std::uint8_t last_status_ = 0;
  bool has_end_of_track_ = false;
  bool omit_end_of_track_ = false;
  bool has_length_override_ = false;
  std::uint32_t length_override_ = 0;
};

class MidiBuilder {
 public:
  explicit MidiBuilder(int ticks_per_quarter = 480);
  // SMPTE division: 24, 25, 29 (29.97 drop-frame) or 30 frames per second.
  static MidiBuilder smpte(int frames_per_second, int ticks_per_frame);

  // Appends a track; the reference stays valid when more tracks are added.
  MidiTrack& track();
  MidiTrack& track_at(std::size_t index) { return tracks_.at(index); }
  std::size_t track_count() const { return tracks_.size(); }

  MidiBuilder& format(int format);           // default: 0 with one track, else 1
  MidiBuilder& declared_tracks(int count);   // the header's track count instead of the real one
  MidiBuilder& division(std::uint16_t raw);  // the header's division field as written
  // The MThd length field says `length` and that many header bytes follow (the six defined
  // ones, cut short or padded with zeros).
  MidiBuilder& header_length(std::uint32_t length);
  // A chunk with any id, placed after the tracks added so far.
  MidiBuilder& chunk(const std::string& id, const Bytes& data);
  // Bytes after all chunks.
  MidiBuilder& trailing(const Bytes& bytes);

  Bytes bytes() const;
  // The same SMF inside a RIFF 'RMID' wrapper (.rmi); its SMF starts at byte 20.
  Bytes rmid_bytes() const;
  // File offset in bytes() of track `index`'s first data byte.
  std::int64_t track_data_offset(std::size_t index) const;
  // Writes bytes() to `path`; false if the file cannot be written.
  [[nodiscard]] bool write(const std::string& path) const;

 private:
  struct Piece {  // a track (by index) or an extra chunk, in file order
    bool is_track = true;
    std::size_t track = 0;
    std::string id;
    Bytes data;
  };
  std::uint32_t header_bytes() const;

  std::deque<MidiTrack> tracks_;
  std::vector<Piece> pieces_;
  Bytes trailing_;
  std::uint16_t division_;
  int format_ = -1;
  int declared_tracks_ = -1;
  std::uint32_t header_length_ = 6;
};

[[nodiscard]] bool write_file(const std::string& path, const Bytes& bytes);

}  // namespace tutti::test
