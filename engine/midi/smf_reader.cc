// File-level structure: header, chunk walk, merging tracks, timing.
//
// Leniency at the file level (each defect becomes a line in Song::warnings unless noted):
// - A RIFF 'RMID' wrapper is unwrapped; offsets stay those of the whole file.
// - Chunk types other than MTrk are skipped (SMF 1.0 asks for that; no warning). A chunk
//   header that is not four printable characters means the previous length was wrong: the
//   reader resynchronises on the next "MTrk".
// - An MTrk length running past the end of the file is clamped to the file; the track then
//   parses like any other and only a truncated event in it is an error.
// - Only the declared number of tracks is read, as FluidSynth does; fewer present, or more
//   MTrk chunks following, are warnings. Any other data after the last track is ignored
//   silently (padding and appended junk are common and harmless).
#include "engine/midi/smf_reader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "engine/common/byte_reader.h"
#include "engine/common/mapped_file.h"
#include "engine/midi/smf_container.h"
#include "engine/midi/time_map.h"
#include "engine/midi/track_decoder.h"

namespace tutti::engine::midi {

namespace {

using detail::TempoEvent;

constexpr std::size_t kChunkHeaderBytes = 8;
// A channel event is 3-4 bytes (delta, status, data; less with running status). Reserving for
// a quarter of the track bytes avoids most regrowth without trusting the file to be dense.
constexpr std::size_t kBytesPerEventEstimate = 4;

bool is_track_id(std::span<const std::uint8_t> id) {
  return id.size() == 4 && std::memcmp(id.data(), "MTrk", 4) == 0;
}

bool is_printable_id(std::span<const std::uint8_t> id) {
  return std::all_of(id.begin(), id.end(), [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; });
}

// Position of the next "MTrk" at or after `from`, or npos.
std::size_t find_track_id(std::span<const std::uint8_t> bytes, std::size_t from) {
  static constexpr std::uint8_t kId[] = {'M', 'T', 'r', 'k'};
  if (from >= bytes.size()) return std::string::npos;
  auto found = std::search(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end(),
                           std::begin(kId), std::end(kId));
  return found == bytes.end() ? std::string::npos : static_cast<std::size_t>(found - bytes.begin());
}

// Grows geometrically, but never beyond the event limit, so a header full of promises cannot
// make the parser allocate memory the data does not back.
void reserve_for_track(std::vector<Event>& events, std::size_t track_bytes,
                       std::uint64_t max_events) {
  const std::uint64_t wanted =
      std::min<std::uint64_t>(events.size() + track_bytes / kBytesPerEventEstimate, max_events);
  if (wanted <= events.capacity()) return;
  events.reserve(static_cast<std::size_t>(
      std::min<std::uint64_t>(std::max<std::uint64_t>(wanted, 2 * events.capacity()), max_events)));
}

// Each track's events are already in tick order; merging neighbouring runs pairwise keeps the
// lower track first on equal ticks (std::inplace_merge is stable), which is the order Song
// promises: tick, then track, then file order.
void merge_track_runs(std::vector<Event>& events, std::vector<std::size_t> bounds) {
  const auto by_tick = [](const Event& a, const Event& b) { return a.tick < b.tick; };
  if (std::is_sorted(events.begin(), events.end(), by_tick)) return;
  const auto at = [&](std::size_t index) {
    return events.begin() + static_cast<std::ptrdiff_t>(index);
  };
  while (bounds.size() > 2) {
    std::vector<std::size_t> merged;
    merged.reserve(bounds.size() / 2 + 2);
    const std::size_t runs = bounds.size() - 1;
    for (std::size_t i = 0; i + 1 < runs; i += 2) {
      std::inplace_merge(at(bounds[i]), at(bounds[i + 1]), at(bounds[i + 2]), by_tick);
      merged.push_back(bounds[i]);
    }
    if (runs % 2 == 1) merged.push_back(bounds[runs - 1]);
    merged.push_back(bounds.back());
    bounds = std::move(merged);
  }
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

class SmfParser {
 public:
  SmfParser(const std::string& name, const SmfLimits& limits) : name_(name), limits_(limits) {}

  Expected<Song> parse(std::span<const std::uint8_t> file) {
    if (file.size() > limits_.max_file_bytes) return too_large(file.size());
    auto image = detail::locate_smf(file, name_);
    if (!image) return Unexpected{image.error()};
    auto header = detail::read_header(*image, name_);
    if (!header) return Unexpected{header.error()};
    if (static_cast<std::uint32_t>(header->declared_tracks) > limits_.max_tracks) {
      return Unexpected{Error{name_, "header", image->file_offset + 10,
                              std::to_string(header->declared_tracks) +
                                  " tracks, more than the limit of " +
                                  std::to_string(limits_.max_tracks) + " (SmfLimits::max_tracks)"}};
    }
    song_.path = name_;
    song_.format = header->format;
    song_.ticks_per_quarter = header->ticks_per_quarter;
    song_.smpte_frames_per_second = header->smpte_frames_per_second;
    song_.smpte_ticks_per_frame = header->smpte_ticks_per_frame;
    if (header->format == 0 && header->declared_tracks != 1) {
      song_.warnings.push_back("format 0 file declares " + std::to_string(header->declared_tracks) +
                               " tracks instead of 1");
    }

    if (auto tracks = read_tracks(*image, *header); !tracks) return Unexpected{tracks.error()};
    if (auto timed = assign_times(*header); !timed) return Unexpected{timed.error()};
    return std::move(song_);
  }

 private:
  Expected<void> read_tracks(const detail::SmfImage& image, const detail::SmfHeader& header) {
    ByteReader reader(image.bytes, image.file_offset);
    reader.seek(header.chunk_end);
    detail::DecodeTarget target{song_.events, song_.sysex, tempos_, song_.warnings,
                                limits_.max_events};
    std::vector<std::size_t> run_bounds{0};
    const int declared = header.declared_tracks;
    std::int64_t next_start_tick = 0;
    int found = 0;

    while (found < declared && reader.remaining() >= kChunkHeaderBytes) {
      const std::size_t chunk_position = reader.position();
      const auto id = *reader.bytes(4);
      const std::uint32_t length = *reader.u32_be();
      if (!is_track_id(id)) {
        if (is_printable_id(id)) {
          // SMF 1.0: readers skip chunk types they do not know.
          if (!reader.skip(length)) reader.seek(image.bytes.size());
        } else {
          // Not a chunk header at all: most likely the previous chunk's length was wrong.
          // Resynchronise on the next MTrk rather than give up on the rest of the file.
          const std::size_t next = find_track_id(image.bytes, chunk_position + 1);
          const std::size_t resume = next == std::string::npos ? image.bytes.size() : next;
          song_.warnings.push_back(
              std::to_string(resume - chunk_position) + " bytes of unrecognised data at byte " +
              std::to_string(image.file_offset + static_cast<std::int64_t>(chunk_position)) +
              " skipped");
          reader.seek(resume);
        }
        continue;
      }

      const auto index = static_cast<std::uint16_t>(found);
      std::size_t data_length = length;
      if (length > reader.remaining()) {
        song_.warnings.push_back(detail::track_label(index) + ": chunk length " +
                                 std::to_string(length) + " runs " +
                                 std::to_string(length - reader.remaining()) +
                                 " bytes past the end of the file; read to the end");
        data_length = reader.remaining();
      }
      const std::int64_t data_offset = reader.file_offset();
      const auto data = *reader.bytes(data_length);
      reserve_for_track(song_.events, data.size(), limits_.max_events);

      const detail::TrackSource source{data, data_offset, index,
                                       header.format == 2 ? next_start_tick : 0};
      auto decoded = detail::decode_track(source, target, name_);
      if (!decoded) return Unexpected{decoded.error()};
      end_tick_ = std::max(end_tick_, decoded->end_tick);
      // Format 2: each track is its own sequence, played after the previous one ends.
      next_start_tick = decoded->end_tick;
      if (song_.events.size() > run_bounds.back()) run_bounds.push_back(song_.events.size());
      ++found;
    }

    song_.track_count = found;
    if (found < declared) {
      song_.warnings.push_back("header declares " + std::to_string(declared) +
                               " tracks, the file has " + std::to_string(found));
    } else if (reader.remaining() >= 4 && is_track_id(image.bytes.subspan(reader.position(), 4))) {
      // FluidSynth reads only the declared tracks too; say so, since music may be lost.
      song_.warnings.push_back("MTrk chunks after the " + std::to_string(declared) +
                               " declared tracks ignored");
    }
    merge_track_runs(song_.events, std::move(run_bounds));
    return {};
  }

  Expected<void> assign_times(const detail::SmfHeader& header) {
    auto map = header.ticks_per_quarter > 0 ? detail::TimeMap::metrical(header.ticks_per_quarter)
                                            : detail::TimeMap::smpte(header.smpte_frames_per_second,
                                                                     header.smpte_ticks_per_frame);
    // Tempo events from all tracks form one map (formats 0 and 1 allow them in any track; in
    // format 2 they sit on the concatenated timeline, so a track inherits the tempo in effect
    // where the previous one ended). Same order as events: tick, then track, then file order.
    std::stable_sort(tempos_.begin(), tempos_.end(),
                     [](const TempoEvent& a, const TempoEvent& b) { return a.tick < b.tick; });
    for (const TempoEvent& tempo : tempos_) {
      if (!map.add_tempo(tempo.tick, tempo.microseconds_per_quarter)) return too_long();
    }
    const auto end_numerator = map.numerator_at(end_tick_);
    if (!end_numerator) return too_long();
    song_.duration_seconds = map.to_seconds(*end_numerator);
    if (song_.duration_seconds > limits_.max_duration_seconds) {
      return Unexpected{Error{
          name_, "", -1,
          "song lasts " + seconds_text(song_.duration_seconds) + ", more than the limit of " +
              seconds_text(limits_.max_duration_seconds) + " (SmfLimits::max_duration_seconds)"}};
    }
    // Every event tick is <= end_tick_, so the checked end numerator bounds all of these.
    detail::TimeMap::Cursor cursor(map);
    for (Event& event : song_.events) event.seconds = cursor.seconds(event.tick);
    song_.tempo_map = map.tempo_changes();
    return {};
  }

  Unexpected too_large(std::size_t bytes) const {
    return Unexpected{Error{name_, "", -1,
                            "file is " + std::to_string(bytes) + " bytes, more than the limit of " +
                                std::to_string(limits_.max_file_bytes) +
                                " (SmfLimits::max_file_bytes)"}};
  }
  Unexpected too_long() const {
    return Unexpected{Error{name_, "", -1, "song is too long: its time does not fit in 64 bits"}};
  }

  const std::string& name_;
  const SmfLimits& limits_;
  Song song_;
  std::vector<TempoEvent> tempos_;
  std::int64_t end_tick_ = 0;
};

}  // namespace

Expected<Song> parse_smf(std::span<const std::uint8_t> bytes, const std::string& name,
                         const SmfLimits& limits) {
  return SmfParser(name, limits).parse(bytes);
}

Expected<Song> read_smf(const std::string& path, const SmfLimits& limits) {
  auto file = MappedFile::open(path);
  if (!file) return Unexpected{file.error()};
  // Mapping reads nothing, so this refuses an oversized file before touching its bytes.
  return parse_smf(file->bytes(), path, limits);
}

}  // namespace tutti::engine::midi
