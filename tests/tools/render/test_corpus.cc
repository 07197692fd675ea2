#include "tests/tools/render/test_corpus.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "tests/support/hostile_inputs.h"
#include "tests/support/midi_builder.h"

namespace tutti::test {

namespace fs = std::filesystem;

std::vector<std::uint8_t> test_song(int variant, double seconds) {
  // 120 bpm, 480 ticks per quarter: an eighth note is 240 ticks, 0.25 s.
  MidiBuilder builder(480);
  MidiTrack& track = builder.track();
  track.tempo(0, 500000);
  // Programs 0..2 of the test bank on channel 0, its drum kit on channel 9.
  track.program_change(0, 0, variant % 3);
  track.control_change(0, 0, 10, 20 + (variant * 13) % 90);  // pan
  const int eighths = std::max(1, static_cast<int>(seconds * 4.0));
  for (int i = 0; i < eighths; ++i) {
    const int key = 48 + (variant * 7 + i * 5) % 30;
    const bool drum = variant % 2 == 0 && i % 2 == 0;
    track.note_on(0, 0, key, 60 + (i * 11 + variant) % 60);
    if (drum) track.note_on(0, 9, 36 + i % 12, 100);
    track.note_off(200, 0, key);
    if (drum) track.note_off(0, 9, 36 + i % 12);
    track.pitch_bend(40, 0, 8192 + ((i % 5) - 2) * 300);
  }
  return builder.bytes();
}

TestCorpus write_test_corpus(const fs::path& folder, std::size_t songs, double seconds) {
  TestCorpus corpus;
  corpus.bank = folder / "bank.sf2";
  corpus.root = folder / "midi";
  fs::create_directories(corpus.root / "set-a" / "deeper");
  fs::create_directories(corpus.root / "set-b");
  if (!write_file(corpus.bank.string(), hostile_render_bank().bytes())) throw std::runtime_error("cannot write bank");
  // Extensions in every case tutti must accept; lengths vary so files finish out of order.
  const char* extensions[] = {".mid", ".MID", ".midi", ".Kar"};
  const char* folders[] = {"set-a", "set-b", "set-a/deeper", ""};
  for (std::size_t i = 0; i < songs; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "song-%03zu", i);
    const std::string relative =
        (fs::path(folders[i % 4]) / (std::string(name) + extensions[(i / 4) % 4])).generic_string();
    const double length = seconds * (0.5 + static_cast<double>((i * 7) % 10) / 10.0);
    if (!write_file((corpus.root / relative).string(), test_song(static_cast<int>(i), length))) {
      throw std::runtime_error("cannot write " + relative);
    }
    corpus.relative_sources.push_back(relative);
  }
  // Not MIDI: discovery must pass it by.
  if (!write_file((corpus.root / "set-b" / "notes.txt").string(), {'h', 'i'})) throw std::runtime_error("notes.txt");
  std::sort(corpus.relative_sources.begin(), corpus.relative_sources.end(), [&](const auto& a, const auto& b) {
    return (corpus.root / a).string() < (corpus.root / b).string();
  });
  return corpus;
}

std::vector<datasets::ManifestRecord> manifest_records(const fs::path& path) {
  std::vector<datasets::ManifestRecord> records;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    datasets::ManifestRecord record;
    EXPECT_TRUE(datasets::parse_json_line(line, record)) << path << ": " << line;
    records.push_back(record);
  }
  return records;
}

}  // namespace tutti::test
