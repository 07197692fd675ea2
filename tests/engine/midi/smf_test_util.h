#pragma once
// Shared helpers for the SMF reader tests.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/midi/smf_reader.h"
#include "tests/support/midi_builder.h"

namespace tutti::engine::midi::testing {

using test::Bytes;
using test::MidiBuilder;

inline Expected<Song> parse(const Bytes& bytes, const SmfLimits& limits = {}) {
  return parse_smf(bytes, "song.mid", limits);
}

// Events of one type, in Song order.
inline std::vector<Event> events_of(const Song& song, EventType type) {
  std::vector<Event> selected;
  std::copy_if(song.events.begin(), song.events.end(), std::back_inserter(selected),
               [type](const Event& e) { return e.type == type; });
  return selected;
}

inline bool has_warning(const Song& song, const std::string& fragment) {
  return std::any_of(song.warnings.begin(), song.warnings.end(),
                     [&](const std::string& w) { return w.find(fragment) != std::string::npos; });
}

inline std::string warnings_text(const Song& song) {
  std::string text;
  for (const auto& w : song.warnings) text += w + "\n";
  return text;
}

}  // namespace tutti::engine::midi::testing
