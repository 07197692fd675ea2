#pragma once
// The error every parser and renderer returns instead of throwing: it names the file, the place
// inside it (chunk, track, zone...) and, when known, the byte offset, so a user can find the
// problem with a hex editor.
#include <cstdint>
#include <string>

namespace tutti {

struct Error {
  std::string file;        // path as the user gave it; may be empty for in-memory input
  std::string where;       // e.g. "track 3", "pdta/phdr", "zone 12 of instrument 'Piano'"
  std::int64_t offset = -1;  // byte offset in the file, -1 when not meaningful
  std::string what;        // the problem, lower case, no trailing period

  // "FILE: WHERE at byte N: WHAT" with the absent parts left out: one line for the user.
  std::string message() const;
};

}  // namespace tutti
