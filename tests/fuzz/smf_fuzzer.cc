// libFuzzer target: the Standard MIDI File reader on arbitrary bytes. Every input must parse to a
// Song that keeps Song's promises or fail with a one-line error naming the input.
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/midi/smf_reader.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tutti;
  // The default limits, but fewer events, so an input cannot make one run take seconds.
  engine::midi::SmfLimits limits;
  limits.max_events = 200'000;
  const std::string name = "fuzz.mid";
  auto song = engine::midi::parse_smf(std::span<const std::uint8_t>(data, size), name, limits);
  if (song) {
    fuzz::check_song(*song, limits);
  } else {
    fuzz::check_error(song.error(), name, size);
  }
  return 0;
}
