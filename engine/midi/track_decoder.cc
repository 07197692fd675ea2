#include "engine/midi/track_decoder.h"

#include <cstdio>
#include <optional>
#include <utility>

#include "engine/common/byte_reader.h"
#include "engine/midi/checked_int.h"
#include "engine/midi/vlq.h"

namespace tutti::engine::midi::detail {

namespace {

constexpr std::uint8_t kSysExStatus = 0xF0;
constexpr std::uint8_t kEscapeStatus = 0xF7;  // also the End-of-Exclusive byte
constexpr std::uint8_t kMetaStatus = 0xFF;
constexpr std::uint8_t kMetaEndOfTrack = 0x2F;
constexpr std::uint8_t kMetaSetTempo = 0x51;
constexpr std::size_t kSetTempoLength = 3;

std::string hex(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned>(byte));
  return text;
}

// Data bytes of a channel message by its status (MIDI 1.0 table I).
int channel_data_length(std::uint8_t status) {
  const int kind = status >> 4;
  return kind == 0xC || kind == 0xD ? 1 : 2;
}

// Data bytes of a system common or real-time message, or -1 where MIDI 1.0 leaves the status
// undefined (F4, F5, F9, FD). F0, F7 and FF are handled as SMF events before this is asked.
int system_data_length(std::uint8_t status) {
  switch (status) {
    case 0xF1: return 1;  // MTC quarter frame
    case 0xF2: return 2;  // song position pointer
    case 0xF3: return 1;  // song select
    case 0xF6: return 0;  // tune request
    case 0xF8:
    case 0xFA:
    case 0xFB:
    case 0xFC:
    case 0xFE: return 0;  // real-time
    default: return -1;
  }
}

class TrackDecoder {
 public:
  TrackDecoder(const TrackSource& source, DecodeTarget& target, const std::string& file_name)
      : source_(source),
        target_(target),
        file_name_(file_name),
        reader_(source.data, source.file_offset),
        tick_(source.start_tick) {}

  Expected<DecodedTrack> run() {
    if (!decode_events()) return Unexpected{std::move(error_)};
    add_closing_warnings();
    return DecodedTrack{tick_};
  }

 private:
  bool decode_events() {
    while (!reader_.at_end()) {
      const std::int64_t delta_offset = reader_.file_offset();
      const Vlq delta = read_vlq(reader_);
      if (delta.status == VlqStatus::Truncated) {
        return fail(delta_offset, "truncated delta time: " + track_end_text());
      }
      if (delta.status == VlqStatus::TooLong) {
        return fail(delta_offset, "delta time is a variable-length quantity longer than 4 bytes");
      }
      if (!checked_add(tick_, delta.value, tick_)) {
        return fail(delta_offset, "tick position overflows");
      }
      if (!decode_event()) return false;
      if (ended_) break;
    }
    return true;
  }

  bool decode_event() {
    const std::int64_t event_offset = reader_.file_offset();
    const auto first = reader_.u8();
    if (!first) return fail(event_offset, "truncated event: the track ends after a delta time");
    if (*first < 0x80) {
      if (running_status_ == 0) {
        return fail(event_offset, "data byte " + hex(*first) + " with no running status");
      }
      return decode_channel_message(running_status_, event_offset, first);
    }
    switch (*first) {
      case kMetaStatus: return decode_meta(event_offset);
      case kSysExStatus: return decode_sysex(event_offset);
      case kEscapeStatus: return decode_escape(event_offset);
      default: break;
    }
    if (*first < kSysExStatus) return decode_channel_message(*first, event_offset, std::nullopt);
    return skip_system_message(*first, event_offset);
  }

  // `running_data` is the first data byte when the status came from running status.
  bool decode_channel_message(std::uint8_t status, std::int64_t event_offset,
                              std::optional<std::uint8_t> running_data) {
    running_status_ = status;
    std::uint8_t data[2] = {0, 0};
    const int needed = channel_data_length(status);
    int have = 0;
    if (running_data) data[have++] = *running_data;
    bool out_of_range = false;
    while (have < needed) {
      const auto byte = reader_.u8();
      if (!byte) {
        return fail(event_offset,
                    "truncated event (status " + hex(status) + "): " + track_end_text());
      }
      out_of_range = out_of_range || *byte >= 0x80;
      data[have++] = *byte;
    }
    if (out_of_range && !keep_repaired(status, data)) return true;

    Event event;
    event.tick = tick_;
    event.track = source_.index;
    event.channel = static_cast<std::uint8_t>(status & 0x0F);
    event.data1 = data[0];
    event.data2 = data[1];
    switch (status >> 4) {
      case 0x8: event.type = EventType::NoteOff; break;
      // MIDI 1.0: a note-on with velocity 0 is a note-off.
      case 0x9: event.type = data[1] == 0 ? EventType::NoteOff : EventType::NoteOn; break;
      case 0xA: event.type = EventType::PolyPressure; break;
      case 0xB: event.type = EventType::ControlChange; break;
      case 0xC: event.type = EventType::ProgramChange; break;
      case 0xD: event.type = EventType::ChannelPressure; break;
      default:
        event.type = EventType::PitchBend;
        event.bend = static_cast<std::uint16_t>((data[1] << 7) | data[0]);
        break;
    }
    return store(event, event_offset);
  }

  // A data byte >= 0x80 inside a message whose length the status fixes (see track_decoder.h).
  // Returns false when the message is to be dropped; otherwise `data` is repaired in place.
  bool keep_repaired(std::uint8_t status, std::uint8_t (&data)[2]) {
    const int kind = status >> 4;
    if (kind == 0xE) {  // FluidSynth's reader masks both pitch-bend bytes to 7 bits
      data[0] &= 0x7F;
      data[1] &= 0x7F;
      ++repaired_messages_;
      return true;
    }
    if (kind == 0x8 && data[0] < 0x80) {  // note-off: FluidSynth ignores its velocity
      data[1] = 0x7F;
      ++repaired_messages_;
      return true;
    }
    // Note-on velocities and controller values above 127 play as 127 in FluidSynth 2.3 (measured:
    // null-identical renders), and real files carry them (songwrite's son_*.mid use velocity 0xCC).
    if ((kind == 0x9 || kind == 0xB) && data[0] < 0x80) {
      data[1] = 0x7F;
      ++repaired_messages_;
      return true;
    }
    ++dropped_messages_;  // FluidSynth's synth refuses these values and ignores the message
    return false;
  }

  bool decode_meta(std::int64_t event_offset) {
    const auto type = reader_.u8();
    if (!type) return fail(event_offset, "truncated meta event: " + track_end_text());
    auto payload = read_length_and_payload(event_offset, "meta event");
    if (!payload) return false;

    if (*type == kMetaEndOfTrack) {
      ended_ = true;
    } else if (*type == kMetaSetTempo) {
      return record_tempo(*payload, event_offset);
    }
    return true;
  }

  bool record_tempo(std::span<const std::uint8_t> payload, std::int64_t event_offset) {
    if (payload.size() != kSetTempoLength) {
      warn("tempo event at byte " + std::to_string(event_offset) + " has " +
           std::to_string(payload.size()) + " data bytes instead of 3; ignored");
      return true;
    }
    const std::uint32_t tempo =
        (std::uint32_t{payload[0]} << 16) | (std::uint32_t{payload[1]} << 8) | payload[2];
    if (tempo == 0) {
      warn("tempo event at byte " + std::to_string(event_offset) + " sets tempo 0; ignored");
      return true;
    }
    if (!check_room(event_offset)) return false;
    target_.tempos.push_back(TempoEvent{tick_, tempo});
    return true;
  }

  bool decode_sysex(std::int64_t event_offset) {
    auto payload = read_length_and_payload(event_offset, "SysEx event");
    if (!payload) return false;
    auto body = *payload;
    const bool terminated = !body.empty() && body.back() == kEscapeStatus;
    if (terminated) body = body.first(body.size() - 1);
    if (body.empty() && terminated) return true;  // F0 F7: nothing to send

    Event event;
    event.tick = tick_;
    event.track = source_.index;
    event.type = EventType::SysEx;
    event.sysex_index = static_cast<std::uint32_t>(target_.sysex.size());
    if (!store(event, event_offset)) return false;
    target_.sysex.emplace_back(body.begin(), body.end());
    open_sysex_ = terminated ? kNoOpenSysEx : event.sysex_index;
    return true;
  }

  bool decode_escape(std::int64_t event_offset) {
    auto payload = read_length_and_payload(event_offset, "F7 event");
    if (!payload) return false;
    if (open_sysex_ == kNoOpenSysEx) return true;  // an escape: raw wire bytes, not a Song event
    auto body = *payload;
    const bool terminated = !body.empty() && body.back() == kEscapeStatus;
    if (terminated) body = body.first(body.size() - 1);
    auto& message = target_.sysex[open_sysex_];
    message.insert(message.end(), body.begin(), body.end());
    if (terminated) open_sysex_ = kNoOpenSysEx;
    return true;
  }

  bool skip_system_message(std::uint8_t status, std::int64_t event_offset) {
    const int length = system_data_length(status);
    if (length < 0) {
      return fail(event_offset, "undefined status byte " + hex(status));
    }
    for (int i = 0; i < length; ++i) {
      const std::int64_t data_offset = reader_.file_offset();
      const auto byte = reader_.u8();
      if (!byte) {
        return fail(event_offset,
                    "truncated event (status " + hex(status) + "): " + track_end_text());
      }
      if (*byte >= 0x80) {
        return fail(data_offset,
                    "expected a data byte of status " + hex(status) + ", found " + hex(*byte));
      }
    }
    ++skipped_system_messages_;
    return true;
  }

  // Reads the VLQ length of a meta, SysEx or F7 event and then that many bytes.
  std::optional<std::span<const std::uint8_t>> read_length_and_payload(std::int64_t event_offset,
                                                                       const char* kind) {
    const std::int64_t length_offset = reader_.file_offset();
    const Vlq length = read_vlq(reader_);
    if (length.status == VlqStatus::Truncated) {
      fail(event_offset, std::string("truncated ") + kind + ": " + track_end_text());
      return std::nullopt;
    }
    if (length.status == VlqStatus::TooLong) {
      fail(length_offset,
           std::string(kind) + " length is a variable-length quantity longer than 4 bytes");
      return std::nullopt;
    }
    const auto payload = reader_.bytes(length.value);
    if (!payload) {
      fail(event_offset, std::string("truncated ") + kind + ": declares " +
                             std::to_string(length.value) + " data bytes, " + track_end_text());
      return std::nullopt;
    }
    return *payload;
  }

  bool store(const Event& event, std::int64_t event_offset) {
    if (!check_room(event_offset)) return false;
    target_.events.push_back(event);
    return true;
  }

  bool check_room(std::int64_t event_offset) {
    if (target_.events.size() + target_.tempos.size() >= target_.max_events) {
      return fail(event_offset, "more than " + std::to_string(target_.max_events) +
                                    " events (SmfLimits::max_events)");
    }
    return true;
  }

  void add_closing_warnings() {
    if (!ended_) {
      warn("no End-of-Track event; the track ends with its last event");
    } else if (!reader_.at_end()) {
      warn(std::to_string(reader_.remaining()) + " bytes after End-of-Track ignored");
    }
    if (dropped_messages_ + repaired_messages_ > 0) {
      warn(std::to_string(dropped_messages_ + repaired_messages_) +
           " channel messages with a data byte above 127: " + std::to_string(dropped_messages_) +
           " dropped, " + std::to_string(repaired_messages_) +
           " repaired (velocities and controller values to 127, pitch bend masked), as FluidSynth plays them");
    }
    if (skipped_system_messages_ > 0) {
      warn(std::to_string(skipped_system_messages_) +
           " system common/real-time messages skipped (not SMF events)");
    }
  }

  std::string track_end_text() const {
    return "the track data ends at byte " +
           std::to_string(source_.file_offset + static_cast<std::int64_t>(source_.data.size()));
  }

  void warn(const std::string& what) {
    target_.warnings.push_back(track_label(source_.index) + ": " + what);
  }

  // Records the error and returns false. The per-event functions return bool rather than
  // Expected<void>, whose Error (three strings) would be built and destroyed for every event.
  bool fail(std::int64_t offset, std::string what) {
    error_ = Error{file_name_, track_label(source_.index), offset, std::move(what)};
    return false;
  }

  static constexpr std::uint32_t kNoOpenSysEx = 0xFFFFFFFF;

  const TrackSource& source_;
  DecodeTarget& target_;
  const std::string& file_name_;
  ByteReader reader_;
  std::int64_t tick_;
  std::uint8_t running_status_ = 0;  // last channel status in this track; 0 = none yet
  std::uint32_t open_sysex_ = kNoOpenSysEx;
  bool ended_ = false;
  std::size_t skipped_system_messages_ = 0;
  std::size_t dropped_messages_ = 0;
  std::size_t repaired_messages_ = 0;
  Error error_;  // set by fail()
};

}  // namespace

std::string track_label(std::uint16_t index) { return "track " + std::to_string(index); }

Expected<DecodedTrack> decode_track(const TrackSource& source, DecodeTarget& target,
                                    const std::string& file_name) {
  return TrackDecoder(source, target, file_name).run();
}

}  // namespace tutti::engine::midi::detail
