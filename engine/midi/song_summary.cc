#include "engine/midi/song_summary.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace tutti::engine::midi {

namespace {

constexpr int kChannels = 16;
constexpr int kPercussionChannel = 9;  // "channel 10" in General MIDI
constexpr std::uint8_t kBankSelectMsb = 0;
constexpr std::uint8_t kBankSelectLsb = 32;

std::string format_text(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string selection_text(const ProgramSelection& selection) {
  std::string text = std::to_string(selection.program);
  if (selection.bank_msb >= 0 || selection.bank_lsb >= 0) {
    const auto part = [](int value) {
      return value < 0 ? std::string("-") : std::to_string(value);
    };
    text += " (bank " + part(selection.bank_msb) + "/" + part(selection.bank_lsb) + ")";
  }
  return text;
}

}  // namespace

SongSummary summarize(const Song& song) {
  SongSummary summary;
  summary.path = song.path;
  summary.format = song.format;
  summary.track_count = song.track_count;
  summary.ticks_per_quarter = song.ticks_per_quarter;
  summary.smpte_frames_per_second = song.smpte_frames_per_second;
  summary.smpte_ticks_per_frame = song.smpte_ticks_per_frame;
  summary.duration_seconds = song.duration_seconds;
  summary.event_count = song.events.size();
  summary.warnings = song.warnings;
  if (!song.tempo_map.empty()) {
    summary.tempo_changes = song.tempo_map.size() - 1;
    summary.initial_microseconds_per_quarter = song.tempo_map.front().microseconds_per_quarter;
  }

  std::array<ChannelUse, kChannels> channels{};
  std::array<int, kChannels> bank_msb;
  std::array<int, kChannels> bank_lsb;
  bank_msb.fill(-1);
  bank_lsb.fill(-1);
  for (const Event& event : song.events) {
    if (event.type == EventType::SysEx) {
      ++summary.sysex_count;
      continue;
    }
    const int channel = event.channel & 0x0F;
    ChannelUse& use = channels[static_cast<std::size_t>(channel)];
    ++use.event_count;
    switch (event.type) {
      case EventType::NoteOn:
        ++use.note_count;
        ++summary.note_count;
        break;
      case EventType::ControlChange:
        if (event.data1 == kBankSelectMsb)
          bank_msb[static_cast<std::size_t>(channel)] = event.data2;
        if (event.data1 == kBankSelectLsb)
          bank_lsb[static_cast<std::size_t>(channel)] = event.data2;
        break;
      case EventType::ProgramChange: {
        const ProgramSelection selection{bank_msb[static_cast<std::size_t>(channel)],
                                         bank_lsb[static_cast<std::size_t>(channel)], event.data1};
        if (std::find(use.programs.begin(), use.programs.end(), selection) == use.programs.end()) {
          use.programs.push_back(selection);
        }
        break;
      }
      default: break;
    }
  }
  for (int channel = 0; channel < kChannels; ++channel) {
    ChannelUse& use = channels[static_cast<std::size_t>(channel)];
    if (use.event_count == 0) continue;
    use.channel = channel;
    use.percussion = channel == kPercussionChannel;
    summary.channels.push_back(std::move(use));
  }
  return summary;
}

std::string to_text(const SongSummary& summary) {
  std::string text = summary.path.empty() ? std::string() : summary.path + "\n";
  text += "  format " + std::to_string(summary.format) + ", " +
          std::to_string(summary.track_count) + " tracks, ";
  if (summary.ticks_per_quarter > 0) {
    text += std::to_string(summary.ticks_per_quarter) + " ticks per quarter note\n";
  } else {
    text +=
        "SMPTE " +
        (summary.smpte_frames_per_second == 29 ? std::string("29.97 drop-frame")
                                               : std::to_string(summary.smpte_frames_per_second)) +
        " fps, " + std::to_string(summary.smpte_ticks_per_frame) + " ticks per frame\n";
  }
  text += "  duration " + format_text("%.3f", summary.duration_seconds) +
          " s, notes: " + std::to_string(summary.note_count) +
          ", events: " + std::to_string(summary.event_count) +
          ", SysEx: " + std::to_string(summary.sysex_count) + "\n";
  if (summary.initial_microseconds_per_quarter > 0) {
    text += "  tempo " + format_text("%.2f", 60e6 / summary.initial_microseconds_per_quarter) +
            " bpm at the start, tempo changes: " + std::to_string(summary.tempo_changes) + "\n";
  }
  for (const ChannelUse& use : summary.channels) {
    text += "  channel " + std::to_string(use.channel + 1) +
            (use.percussion ? " (percussion)" : "") + ": notes " + std::to_string(use.note_count) +
            ", program";
    if (use.programs.empty()) {
      text += " 0 (default)";
    } else {
      text += use.programs.size() > 1 ? "s " : " ";
      for (std::size_t i = 0; i < use.programs.size(); ++i) {
        text += (i > 0 ? ", " : "") + selection_text(use.programs[i]);
      }
    }
    text += "\n";
  }
  for (const std::string& warning : summary.warnings) text += "  warning: " + warning + "\n";
  return text;
}

}  // namespace tutti::engine::midi
