// The SMF reader on the hostile corpus of tests/support, through the library API with the checks
// the fuzz targets make (fuzz_check.h). Fuzz findings in the reader are rebuilt here, one test
// each, from builders or byte literals.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/midi/smf_reader.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/support/hostile_inputs.h"

namespace tutti::test {
namespace {

using engine::midi::parse_smf;
using engine::midi::SmfLimits;

// The seeds the fuzzers start from are well-formed: they parse without a single warning, so any
// warning or error on a mutant comes from the mutation.
TEST(HostileSmf, SeedSongsParseWithoutWarnings) {
  for (const NamedBytes& seed : seed_songs()) {
    auto song = parse_smf(seed.bytes, seed.name);
    ASSERT_TRUE(song) << song.error().message();
    EXPECT_TRUE(song->warnings.empty()) << seed.name << ": " << song->warnings.front();
    EXPECT_GT(song->events.size(), 0u) << seed.name;
    fuzz::check_song(*song, SmfLimits{});
  }
}

TEST(HostileSmf, MutatedCorpusIsReproducibleFromItsSeed) {
  const auto a = mutated_songs(11, 50), b = mutated_songs(11, 50), c = mutated_songs(12, 50);
  ASSERT_EQ(a.size(), 50u);
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].bytes, b[i].bytes) << a[i].name;
    EXPECT_EQ(a[i].mutation, b[i].mutation) << a[i].name;
    differing += a[i].bytes != c[i].bytes;
  }
  EXPECT_GT(differing, 25u) << "another seed gives another corpus";
}

// Every mutant parses to a Song that keeps Song's promises or fails with a one-line error naming
// the file and an offset inside it; both outcomes are common, and every kind of damage appears.
TEST(HostileSmf, MutatedSongsParseOrFailWithAOneLineError) {
  const auto mutants = mutated_songs(20261124, 1200);
  std::size_t parsed = 0, refused = 0;
  std::set<std::string> kinds;
  for (const Mutant& m : mutants) {
    kinds.insert(m.mutation.substr(0, m.mutation.find(':')));
    auto song = parse_smf(m.bytes, m.name);
    if (song) {
      ++parsed;
      fuzz::check_song(*song, SmfLimits{});
    } else {
      ++refused;
      fuzz::check_error(song.error(), m.name, m.bytes.size());
    }
  }
  EXPECT_GT(parsed, mutants.size() / 5);
  EXPECT_GT(refused, mutants.size() / 10);
  EXPECT_EQ(kinds.size(), 12u);
}

}  // namespace
}  // namespace tutti::test
