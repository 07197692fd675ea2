// A smoke test against crashes on hostile input: thousands of mutated SMF byte strings from a
// fixed seed must each parse to a Song that keeps Song's promises, or to an Error. (Real
// fuzzing with sanitizers comes later; this runs in every build.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

using test::RunningStatus;

std::vector<Bytes> seed_files() {
  std::vector<Bytes> seeds;
  {
    MidiBuilder b(480);
    b.track().tempo(0, 500000).track_name(0, "conductor").tempo(960, 250000);
    auto& t = b.track().running_status(RunningStatus::AcrossMeta);
    t.sysex(0, {0x7E, 0x7F, 0x09, 0x01}).control_change(0, 0, 0, 1).program_change(0, 0, 5);
    for (int i = 0; i < 20; ++i) t.note_on(60, 0, 60 + i, 100).note_on(60, 0, 60 + i, 0);
    t.pitch_bend(10, 0, 1000).channel_pressure(5, 0, 3).poly_pressure(5, 0, 60, 9);
    b.track().note_on(0, 9, 36, 100).note_off(240, 9, 36).text(0, "drums");
    seeds.push_back(b.bytes());
    seeds.push_back(b.rmid_bytes());
    b.format(2);
    seeds.push_back(b.bytes());
  }
  {
    auto b = MidiBuilder::smpte(29, 80);
    b.track()
        .sysex_packet(0, {0x43, 0x12})
        .escape(10, {0x00, 0xF7})
        .note_on(0, 1, 64, 1)
        .raw({0x00, 0xF8})
        .note_off(100, 1, 64);
    seeds.push_back(b.bytes());
  }
  return seeds;
}

std::uint8_t interesting_byte(std::mt19937& rng) {
  static constexpr std::uint8_t kBytes[] = {0x00, 0x01, 0x7F, 0x80, 0x81, 0x90, 0xC0, 0xF0,
                                            0xF7, 0xF8, 0xFF, 0x2F, 0x51, 'M',  'T',  'r'};
  return kBytes[rng() % std::size(kBytes)];
}

// One to four random edits: overwrite, insert, delete, truncate, duplicate, or a big length.
Bytes mutate(Bytes bytes, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !bytes.empty(); ++e) {
    const std::size_t at = rng() % bytes.size();
    switch (rng() % 7) {
      case 0: bytes[at] = static_cast<std::uint8_t>(rng()); break;
      case 1: bytes[at] = interesting_byte(rng); break;
      case 2:
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), interesting_byte(rng));
        break;
      case 3: {
        const std::size_t count = std::min<std::size_t>(1 + rng() % 8, bytes.size() - at);
        bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    bytes.begin() + static_cast<std::ptrdiff_t>(at + count));
        break;
      }
      case 4: bytes.resize(at); break;
      case 5: {
        const std::size_t count = std::min<std::size_t>(1 + rng() % 16, bytes.size() - at);
        Bytes copy(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                   bytes.begin() + static_cast<std::ptrdiff_t>(at + count));
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(rng() % bytes.size()),
                     copy.begin(), copy.end());
        break;
      }
      default:
        for (std::size_t i = at; i < std::min(at + 4, bytes.size()); ++i) bytes[i] = 0xFF;
        break;
    }
  }
  return bytes;
}

void check_song_invariants(const Song& song, const SmfLimits& limits) {
  ASSERT_LE(song.events.size(), limits.max_events);
  ASSERT_TRUE(std::isfinite(song.duration_seconds));
  ASSERT_LE(song.duration_seconds, limits.max_duration_seconds);
  for (std::size_t i = 0; i < song.events.size(); ++i) {
    const Event& e = song.events[i];
    ASSERT_LT(e.channel, 16);
    ASSERT_LT(e.data1, 128);
    ASSERT_LT(e.data2, 128);
    ASSERT_LT(e.bend, 16384);
    ASSERT_LT(e.track, song.track_count);
    ASSERT_GE(e.tick, 0);
    ASSERT_TRUE(std::isfinite(e.seconds));
    ASSERT_LE(e.seconds, song.duration_seconds);
    if (e.type == EventType::SysEx) {
      ASSERT_LT(e.sysex_index, song.sysex.size());
    }
    if (i > 0) {
      const Event& previous = song.events[i - 1];
      ASSERT_TRUE(previous.tick < e.tick || (previous.tick == e.tick && previous.track <= e.track));
      ASSERT_LE(previous.seconds, e.seconds);
    }
  }
  for (std::size_t i = 1; i < song.tempo_map.size(); ++i) {
    ASSERT_LT(song.tempo_map[i - 1].tick, song.tempo_map[i].tick);
    ASSERT_LE(song.tempo_map[i - 1].seconds, song.tempo_map[i].seconds);
  }
}

TEST(SmfRobustness, MutatedFilesParseOrFailCleanly) {
  std::mt19937 rng(20240611);
  SmfLimits limits;
  limits.max_events = 5000;
  limits.max_duration_seconds = 24 * 3600;
  const auto seeds = seed_files();
  int parsed = 0;
  int failed = 0;
  for (int iteration = 0; iteration < 6000; ++iteration) {
    const Bytes input = mutate(seeds[static_cast<std::size_t>(iteration) % seeds.size()], rng);
    auto song = parse_smf(input, "fuzz.mid", limits);
    if (song) {
      ++parsed;
      check_song_invariants(*song, limits);
      if (::testing::Test::HasFatalFailure()) {
        FAIL() << "invariant broken at iteration " << iteration;
      }
    } else {
      ++failed;
      ASSERT_EQ(song.error().file, "fuzz.mid");
      ASSERT_FALSE(song.error().what.empty());
      ASSERT_LE(song.error().offset, static_cast<std::int64_t>(input.size()));
    }
  }
  // Both outcomes must be common, or the mutations are not exercising the parser.
  EXPECT_GT(parsed, 600);
  EXPECT_GT(failed, 600);
}

TEST(SmfRobustness, RandomBytesAfterAValidHeader) {
  std::mt19937 rng(7);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    MidiBuilder b(96);
    Bytes junk(rng() % 200);
    for (auto& byte : junk) byte = static_cast<std::uint8_t>(rng());
    b.track().raw(junk).length_override(static_cast<std::uint32_t>(rng() % 256));
    b.track().raw(junk);
    auto song = parse(b.bytes());
    if (song) check_song_invariants(*song, SmfLimits{});
    if (::testing::Test::HasFatalFailure()) FAIL() << "iteration " << iteration;
  }
}

}  // namespace
}  // namespace tutti::engine::midi::testing
