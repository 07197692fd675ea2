#pragma once
// A small RIFF chunk walker over untrusted bytes (SoundFont 2.04 section 3). It only splits a byte
// range into chunks and checks that every declared size fits inside its parent; what the chunks
// mean is the SF2 loader's business.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/expected.h"

namespace tutti::engine::sf2::riff {

using FourCC = std::array<char, 4>;

// Four raw bytes as printable text for messages: anything outside printable ASCII becomes '?'.
std::string printable(const FourCC& id);

struct Chunk {
  FourCC id{};
  // For RIFF and LIST chunks, the form/list type (the first four data bytes); zero otherwise.
  FourCC list_type{};
  // The payload. For RIFF and LIST this starts after the list type.
  std::span<const std::uint8_t> data;
  std::int64_t header_offset = 0;  // file offset of the 8-byte chunk header
  std::int64_t data_offset = 0;    // file offset of data[0]

  bool is(std::string_view four) const { return four.size() == 4 && std::string_view(id.data(), 4) == four; }
  bool is_list(std::string_view type) const {
    return is("LIST") && type.size() == 4 && std::string_view(list_type.data(), 4) == type;
  }
};

// The chunks inside `bytes`, which sit at file offset `base_offset`. `parent` is the parent's
// path for errors: "pdta" names a bad sub-chunk "pdta/pbag"; "" (the top level) names a bad list
// by its type, "sdta". A chunk whose size runs past the parent, or a partial chunk header, is an
// error, even for the last chunk of the file: the rest of the parent cannot be trusted, and
// FluidSynth 2.3.1 refuses such files too. RIFF pads odd-sized chunks with one zero
// byte; a zero byte after an odd chunk is taken as that pad, anything else as the next chunk, so
// writers that forgot the pad are still read (a chunk id never starts with a zero byte).
Expected<std::vector<Chunk>> read_chunks(std::span<const std::uint8_t> bytes, std::int64_t base_offset,
                                         const std::string& parent);

// The outer RIFF form at the start of a file. A form that claims more bytes than the file holds
// is an error (the file is truncated); bytes after the form are reported, not read.
struct Form {
  Chunk chunk;
  std::int64_t trailing_bytes = 0;  // bytes after the form, ignored
};
Expected<Form> read_form(std::span<const std::uint8_t> file);

}  // namespace tutti::engine::sf2::riff
