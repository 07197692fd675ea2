#pragma once
// Hostile input, built in code from fixed seeds: the seed songs and banks the fuzz targets start
// from, the tiny bank and the short song they render with, and corpora of mutated files (bit
// flips, truncation, corrupted length and size fields, huge variable-length quantities, absurd
// header and generator values) for the hostile-input tests. The same seed always gives the same
// bytes, so a failing case can be rebuilt from its name alone.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/midi_builder.h"
#include "tests/support/sf2_builder.h"

namespace tutti::test {

struct NamedBytes {
  std::string name;  // a file name: "notes.mid", "render.sf2"
  Bytes bytes;
};

// Small songs that between them use every SMF feature the reader knows (running status across
// meta events, SysEx packets and escapes, tempo changes, SMPTE time, formats 0/1/2, RMID) and
// every controller path of the synthesizer (RPN, SF2 NRPN, pedals, bank select, resets).
std::vector<NamedBytes> seed_songs();
// Small banks: the render bank below, a one-sample bank, a 24-bit bank, one with stereo links,
// modulator chains and global zones.
std::vector<NamedBytes> seed_banks();

// Two instruments with global zones, a linked modulator chain, a stereo pair and loops: the
// seed bank of the hostile corpus and, with a 24-bit sample added, of the SF2 robustness test.
Sf2Builder linked_bank();
// The bank fuzzed songs render through: presets 0:0 (looped sine starting at the first point of
// smpl, with vibrato and filter modulators), 0:1 (unlooped saw with sample offsets), 0:2 (a
// stereo pair, loop-until-release), 8:0 (24-bit) and the drum kit 128:0 (exclusive classes).
Sf2Builder hostile_render_bank();
// The song fuzzed banks are played with: under a second of notes on melodic and drum channels,
// across the key and velocity ranges, with program changes, bends and the usual controllers.
MidiBuilder hostile_probe_song();

struct Mutant {
  std::string name;      // "song-017.mid"
  std::string seed;      // the seed file it came from
  std::string mutation;  // what was done, for failure messages
  Bytes bytes;
};

// `count` mutated songs from seed_songs() (and banks from seed_banks()), drawn with `seed`.
// Each applies one kind of damage, cycling through the kinds so that every kind is represented.
std::vector<Mutant> mutated_songs(std::uint32_t seed, std::size_t count);
std::vector<Mutant> mutated_banks(std::uint32_t seed, std::size_t count);

}  // namespace tutti::test
