#include "engine/midi/smf_container.h"

#include <algorithm>
#include <cstring>

#include "engine/common/byte_reader.h"

namespace tutti::engine::midi::detail {

namespace {

constexpr std::size_t kChunkHeaderBytes = 8;
constexpr std::uint32_t kMinimumHeaderLength = 6;

bool has_id(std::span<const std::uint8_t> bytes, std::size_t position, const char* id) {
  return bytes.size() >= position + 4 && std::memcmp(bytes.data() + position, id, 4) == 0;
}

Unexpected header_error(const std::string& file_name, std::int64_t offset, std::string what) {
  return Unexpected{Error{file_name, "header", offset, std::move(what)}};
}

}  // namespace

Expected<SmfImage> locate_smf(std::span<const std::uint8_t> file, const std::string& file_name) {
  if (!(has_id(file, 0, "RIFF") && has_id(file, 8, "RMID"))) return SmfImage{file, 0};

  // RIFF chunks are little-endian and padded to an even length.
  ByteReader reader(file);
  reader.skip(12);
  while (reader.remaining() >= kChunkHeaderBytes) {
    const bool is_data = has_id(file, reader.position(), "data");
    reader.skip(4);
    const std::uint32_t length = *reader.u32_le();
    if (is_data) {
      // A data length past the end of the file is clamped; the SMF parser reports what is missing.
      const std::size_t start = reader.position();
      const std::size_t available = std::min<std::size_t>(length, reader.remaining());
      return SmfImage{file.subspan(start, available), static_cast<std::int64_t>(start)};
    }
    if (!reader.skip(std::size_t{length} + (length & 1u))) break;
  }
  return Unexpected{Error{file_name, "RIFF", -1, "RMID file has no 'data' chunk"}};
}

Expected<SmfHeader> read_header(const SmfImage& image, const std::string& file_name) {
  const std::int64_t base = image.file_offset;
  if (!has_id(image.bytes, 0, "MThd")) {
    return header_error(file_name, base, "not a Standard MIDI File: no MThd chunk at the start");
  }
  ByteReader reader(image.bytes, base);
  reader.skip(4);
  const std::int64_t length_offset = reader.file_offset();
  const auto length = reader.u32_be();
  if (!length) return header_error(file_name, length_offset, "file ends inside the MThd chunk");
  if (*length < kMinimumHeaderLength) {
    return header_error(file_name, length_offset,
                        "MThd length is " + std::to_string(*length) + ", at least 6 is needed");
  }
  if (reader.remaining() < *length) {
    return header_error(file_name, length_offset,
                        "MThd declares " + std::to_string(*length) + " bytes, the file has " +
                            std::to_string(reader.remaining()) + " after it");
  }

  SmfHeader header;
  const std::int64_t format_offset = reader.file_offset();
  header.format = *reader.u16_be();
  header.declared_tracks = *reader.u16_be();
  const std::int64_t division_offset = reader.file_offset();
  const std::uint16_t division = *reader.u16_be();
  reader.skip(*length - kMinimumHeaderLength);
  header.chunk_end = reader.position();

  if (header.format > 2) {
    return header_error(file_name, format_offset,
                        "unknown SMF format " + std::to_string(header.format));
  }
  if ((division & 0x8000u) != 0) {
    // SMPTE: the high byte is the negative frame rate (two's complement), the low byte the
    // ticks per frame.
    const int frames = -static_cast<int>(static_cast<std::int8_t>(division >> 8));
    const int ticks_per_frame = division & 0xFF;
    if (frames != 24 && frames != 25 && frames != 29 && frames != 30) {
      return header_error(file_name, division_offset,
                          "SMPTE division with " + std::to_string(frames) +
                              " frames per second (24, 25, 29 or 30 expected)");
    }
    if (ticks_per_frame == 0) {
      return header_error(file_name, division_offset, "SMPTE division with 0 ticks per frame");
    }
    header.smpte_frames_per_second = frames;
    header.smpte_ticks_per_frame = ticks_per_frame;
  } else {
    if (division == 0) {
      return header_error(file_name, division_offset, "division is 0 ticks per quarter note");
    }
    header.ticks_per_quarter = division;
  }
  return header;
}

}  // namespace tutti::engine::midi::detail
