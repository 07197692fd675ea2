#pragma once
// A small corpus for batch tests, written in code: a tiny bank and songs of a few seconds in a
// folder tree with mixed-case extensions and a file that is not MIDI, so discovery, naming,
// sharding and resume all have something to get wrong.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/manifest.h"

namespace tutti::test {

struct TestCorpus {
  std::filesystem::path bank;
  std::filesystem::path root;                // the input folder
  std::vector<std::string> relative_sources;  // every MIDI file below root, sorted by path
};

// `songs` songs of about `seconds` each (each song differs in notes, programs and length).
TestCorpus write_test_corpus(const std::filesystem::path& folder, std::size_t songs, double seconds);

// One song of about `seconds`: eighth notes on program variant % 3, drums on even variants.
std::vector<std::uint8_t> test_song(int variant, double seconds);

// Every line of a manifest, parsed; a line that does not parse fails the calling test.
std::vector<datasets::ManifestRecord> manifest_records(const std::filesystem::path& path);

}  // namespace tutti::test
