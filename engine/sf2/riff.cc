#include "engine/sf2/riff.h"

#include "engine/common/byte_reader.h"

namespace tutti::engine::sf2::riff {

namespace {

constexpr std::size_t kHeaderSize = 8;
constexpr std::size_t kListTypeSize = 4;

FourCC to_fourcc(std::span<const std::uint8_t> four) {
  FourCC id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<char>(four[i]);
  return id;
}

bool is_container(const FourCC& id) {
  std::string_view text(id.data(), id.size());
  return text == "RIFF" || text == "LIST";
}

}  // namespace

std::string printable(const FourCC& id) {
  std::string text;
  for (char c : id) text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return text;
}

Expected<std::vector<Chunk>> read_chunks(std::span<const std::uint8_t> bytes, std::int64_t base_offset,
                                         const std::string& parent) {
  std::vector<Chunk> chunks;
  ByteReader reader(bytes, base_offset);
  while (!reader.at_end()) {
    const std::int64_t header_offset = reader.file_offset();
    if (reader.remaining() < kHeaderSize) {
      return Unexpected{Error{"", parent.empty() ? "sfbk" : parent, header_offset,
                              "truncated chunk header (" + std::to_string(reader.remaining()) +
                                  " bytes left, 8 needed)"}};
    }
    Chunk chunk;
    chunk.id = to_fourcc(*reader.bytes(4));
    const std::uint32_t size = *reader.u32_le();
    chunk.header_offset = header_offset;
    if (size > reader.remaining()) {
      // Name a list by its type when the type is still inside the parent.
      std::string name = printable(chunk.id);
      if (is_container(chunk.id) && reader.remaining() >= kListTypeSize) {
        name = printable(to_fourcc(bytes.subspan(reader.position(), kListTypeSize)));
      }
      return Unexpected{Error{"", parent.empty() ? name : parent + "/" + name, header_offset,
                              "chunk size " + std::to_string(size) + " runs past the end of its parent (" +
                                  std::to_string(reader.remaining()) + " bytes left)"}};
    }
    std::span<const std::uint8_t> payload = *reader.bytes(size);
    chunk.data_offset = header_offset + static_cast<std::int64_t>(kHeaderSize);
    if (is_container(chunk.id)) {
      if (payload.size() < kListTypeSize) {
        return Unexpected{Error{"", parent.empty() ? printable(chunk.id) : parent + "/" + printable(chunk.id),
                                header_offset,
                                "list chunk of " + std::to_string(size) + " bytes has no list type"}};
      }
      chunk.list_type = to_fourcc(payload.first(kListTypeSize));
      payload = payload.subspan(kListTypeSize);
      chunk.data_offset += static_cast<std::int64_t>(kListTypeSize);
    }
    chunk.data = payload;
    chunks.push_back(chunk);
    // RIFF pad byte after an odd-sized chunk; see the header for why only a zero byte counts.
    if (size % 2 != 0 && reader.peek_u8() == std::optional<std::uint8_t>(0)) reader.skip(1);
  }
  return chunks;
}

Expected<Form> read_form(std::span<const std::uint8_t> file) {
  ByteReader reader(file, 0);
  if (file.size() < kHeaderSize + kListTypeSize) {
    return Unexpected{Error{"", "RIFF", 0,
                            "file of " + std::to_string(file.size()) + " bytes is too short for a RIFF header"}};
  }
  Form form;
  form.chunk.id = to_fourcc(*reader.bytes(4));
  const std::uint32_t size = *reader.u32_le();
  if (!form.chunk.is("RIFF")) {
    return Unexpected{Error{"", "RIFF", 0, "not a RIFF file (starts with '" + printable(form.chunk.id) + "')"}};
  }
  if (size < kListTypeSize) {
    return Unexpected{Error{"", "RIFF", 0, "RIFF size " + std::to_string(size) + " is too small"}};
  }
  if (size > reader.remaining()) {
    return Unexpected{Error{"", "RIFF", 0,
                            "RIFF size " + std::to_string(size) + " runs past the end of the file (" +
                                std::to_string(reader.remaining()) + " bytes follow the header): truncated file"}};
  }
  std::span<const std::uint8_t> payload = *reader.bytes(size);
  form.chunk.list_type = to_fourcc(payload.first(kListTypeSize));
  form.chunk.data = payload.subspan(kListTypeSize);
  form.chunk.header_offset = 0;
  form.chunk.data_offset = static_cast<std::int64_t>(kHeaderSize + kListTypeSize);
  form.trailing_bytes = static_cast<std::int64_t>(reader.remaining());
  return form;
}

}  // namespace tutti::engine::sf2::riff
