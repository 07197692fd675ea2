#include "tests/support/midi_builder.h"

#include <fstream>

namespace tutti::test {

namespace {

std::uint8_t byte(int value) { return static_cast<std::uint8_t>(value & 0xFF); }

void append_u32_be(Bytes& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(byte(static_cast<int>(value >> shift)));
}
void append_u32_le(Bytes& out, std::uint32_t value) {
  for (int shift = 0; shift <= 24; shift += 8)
    out.push_back(byte(static_cast<int>(value >> shift)));
}
void append_u16_be(Bytes& out, int value) {
  out.push_back(byte(value >> 8));
  out.push_back(byte(value));
}
void append_id(Bytes& out, const std::string& id) {
  for (std::size_t i = 0; i < 4; ++i)
    out.push_back(i < id.size() ? static_cast<std::uint8_t>(id[i]) : ' ');
}
void append(Bytes& out, const Bytes& bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

constexpr std::uint8_t kEndOfTrack[] = {0x00, 0xFF, 0x2F, 0x00};

}  // namespace

Bytes vlq_bytes(std::uint32_t value) {
  Bytes groups{byte(static_cast<int>(value & 0x7F))};
  for (value >>= 7; value != 0; value >>= 7) {
    groups.insert(groups.begin(), byte(static_cast<int>((value & 0x7F) | 0x80)));
  }
  return groups;
}

// --- MidiTrack ---------------------------------------------------------------------------------

void MidiTrack::start_event(std::uint32_t delta) { append(data_, vlq_bytes(delta)); }

void MidiTrack::cancel_running_status() {
  if (running_status_ == RunningStatus::Strict) last_status_ = 0;
}

MidiTrack& MidiTrack::channel_message(std::uint32_t delta, int kind, int channel,
                                      std::initializer_list<int> values) {
  start_event(delta);
  const std::uint8_t status = byte(kind | (channel & 0x0F));
  if (running_status_ == RunningStatus::Off || status != last_status_) data_.push_back(status);
  last_status_ = status;
  for (int value : values) data_.push_back(byte(value));
  return *this;
}

MidiTrack& MidiTrack::note_on(std::uint32_t delta, int channel, int key, int velocity) {
  return channel_message(delta, 0x90, channel, {key, velocity});
}
MidiTrack& MidiTrack::note_off(std::uint32_t delta, int channel, int key, int velocity) {
  return channel_message(delta, 0x80, channel, {key, velocity});
}
MidiTrack& MidiTrack::poly_pressure(std::uint32_t delta, int channel, int key, int pressure) {
  return channel_message(delta, 0xA0, channel, {key, pressure});
}
MidiTrack& MidiTrack::control_change(std::uint32_t delta, int channel, int controller, int value) {
  return channel_message(delta, 0xB0, channel, {controller, value});
}
MidiTrack& MidiTrack::program_change(std::uint32_t delta, int channel, int program) {
  return channel_message(delta, 0xC0, channel, {program});
}
MidiTrack& MidiTrack::channel_pressure(std::uint32_t delta, int channel, int pressure) {
  return channel_message(delta, 0xD0, channel, {pressure});
}
MidiTrack& MidiTrack::pitch_bend(std::uint32_t delta, int channel, int value) {
  return channel_message(delta, 0xE0, channel, {value & 0x7F, (value >> 7) & 0x7F});
}

void MidiTrack::write_length_and_bytes(const Bytes& bytes) {
  append(data_, vlq_bytes(static_cast<std::uint32_t>(bytes.size())));
  append(data_, bytes);
}

MidiTrack& MidiTrack::sysex(std::uint32_t delta, const Bytes& body) {
  Bytes terminated = body;
  terminated.push_back(0xF7);
  return sysex_packet(delta, terminated);
}

MidiTrack& MidiTrack::sysex_packet(std::uint32_t delta, const Bytes& bytes) {
  start_event(delta);
  data_.push_back(0xF0);
  write_length_and_bytes(bytes);
  cancel_running_status();
  return *this;
}

MidiTrack& MidiTrack::escape(std::uint32_t delta, const Bytes& bytes) {
  start_event(delta);
  data_.push_back(0xF7);
  write_length_and_bytes(bytes);
  cancel_running_status();
  return *this;
}

MidiTrack& MidiTrack::meta(std::uint32_t delta, int type, const Bytes& data) {
  start_event(delta);
  data_.push_back(0xFF);
  data_.push_back(byte(type));
  write_length_and_bytes(data);
  cancel_running_status();
  return *this;
}

MidiTrack& MidiTrack::tempo(std::uint32_t delta, std::uint32_t microseconds_per_quarter) {
  const auto value = static_cast<int>(microseconds_per_quarter);
  return meta(delta, 0x51, {byte(value >> 16), byte(value >> 8), byte(value)});
}

MidiTrack& MidiTrack::text(std::uint32_t delta, const std::string& text) {
  return meta(delta, 0x01, Bytes(text.begin(), text.end()));
}

MidiTrack& MidiTrack::track_name(std::uint32_t delta, const std::string& name) {
  return meta(delta, 0x03, Bytes(name.begin(), name.end()));
}

MidiTrack& MidiTrack::end_of_track(std::uint32_t delta) {
  meta(delta, 0x2F, {});
  has_end_of_track_ = true;
  return *this;
}

MidiTrack& MidiTrack::omit_end_of_track() {
  omit_end_of_track_ = true;
  return *this;
}

MidiTrack& MidiTrack::raw(const Bytes& bytes) {
  append(data_, bytes);
  return *this;
}

MidiTrack& MidiTrack::running_status(RunningStatus mode) {
  running_status_ = mode;
  last_status_ = 0;
  return *this;
}

MidiTrack& MidiTrack::length_override(std::uint32_t length) {
  has_length_override_ = true;
  length_override_ = length;
  return *this;
}

Bytes MidiTrack::data() const {
  Bytes out = data_;
  if (!has_end_of_track_ && !omit_end_of_track_) {
    out.insert(out.end(), std::begin(kEndOfTrack), std::end(kEndOfTrack));
  }
  return out;
}

std::uint32_t MidiTrack::chunk_length() const {
  return has_length_override_ ? length_override_ : static_cast<std::uint32_t>(data().size());
}

// --- MidiBuilder -------------------------------------------------------------------------------

MidiBuilder::MidiBuilder(int ticks_per_quarter)
    : division_(static_cast<std::uint16_t>(ticks_per_quarter & 0x7FFF)) {}

MidiBuilder MidiBuilder::smpte(int frames_per_second, int ticks_per_frame) {
  MidiBuilder builder;
  builder.division(
      static_cast<std::uint16_t>(((-frames_per_second) & 0xFF) << 8 | (ticks_per_frame & 0xFF)));
  return builder;
}

MidiTrack& MidiBuilder::track() {
  pieces_.push_back(Piece{true, tracks_.size(), {}, {}});
  return tracks_.emplace_back();
}

MidiBuilder& MidiBuilder::format(int format) {
  format_ = format;
  return *this;
}
MidiBuilder& MidiBuilder::declared_tracks(int count) {
  declared_tracks_ = count;
  return *this;
}
MidiBuilder& MidiBuilder::division(std::uint16_t raw) {
  division_ = raw;
  return *this;
}
MidiBuilder& MidiBuilder::header_length(std::uint32_t length) {
  header_length_ = length;
  return *this;
}
MidiBuilder& MidiBuilder::chunk(const std::string& id, const Bytes& data) {
  pieces_.push_back(Piece{false, 0, id, data});
  return *this;
}
MidiBuilder& MidiBuilder::trailing(const Bytes& bytes) {
  append(trailing_, bytes);
  return *this;
}

std::uint32_t MidiBuilder::header_bytes() const { return 8 + header_length_; }

Bytes MidiBuilder::bytes() const {
  Bytes out;
  append_id(out, "MThd");
  append_u32_be(out, header_length_);
  Bytes fields;
  append_u16_be(fields, format_ >= 0 ? format_ : (tracks_.size() == 1 ? 0 : 1));
  append_u16_be(fields,
                declared_tracks_ >= 0 ? declared_tracks_ : static_cast<int>(tracks_.size()));
  append_u16_be(fields, division_);
  fields.resize(header_length_, 0);
  append(out, fields);
  for (const Piece& piece : pieces_) {
    if (piece.is_track) {
      const MidiTrack& track = tracks_[piece.track];
      append_id(out, "MTrk");
      append_u32_be(out, track.chunk_length());
      append(out, track.data());
    } else {
      append_id(out, piece.id);
      append_u32_be(out, static_cast<std::uint32_t>(piece.data.size()));
      append(out, piece.data);
    }
  }
  append(out, trailing_);
  return out;
}

Bytes MidiBuilder::rmid_bytes() const {
  const Bytes smf = bytes();
  const auto smf_size = static_cast<std::uint32_t>(smf.size());
  const std::uint32_t padding = smf_size & 1u;
  Bytes out;
  append_id(out, "RIFF");
  append_u32_le(out, 4 + 8 + smf_size + padding);
  append_id(out, "RMID");
  append_id(out, "data");
  append_u32_le(out, smf_size);
  append(out, smf);
  if (padding != 0) out.push_back(0);
  return out;
}

std::int64_t MidiBuilder::track_data_offset(std::size_t index) const {
  std::int64_t offset = header_bytes();
  for (const Piece& piece : pieces_) {
    offset += 8;
    if (piece.is_track && piece.track == index) return offset;
    offset += static_cast<std::int64_t>(piece.is_track ? tracks_[piece.track].data().size()
                                                       : piece.data.size());
  }
  return -1;
}

bool MidiBuilder::write(const std::string& path) const { return write_file(path, bytes()); }

bool write_file(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  return static_cast<bool>(out);
}

}  // namespace tutti::test
