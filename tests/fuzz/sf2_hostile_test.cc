// The SF2 loader and the engine's bank preparation on the hostile corpus of tests/support,
// through the library API with the checks the fuzz targets make (fuzz_check.h). Fuzz findings in
// the loader are rebuilt here, one test each, from builders or byte literals.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/sf2/bank.h"
#include "engine/synth/prepared_bank.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/support/hostile_inputs.h"

namespace tutti::test {
namespace {

TEST(HostileSf2, SeedBanksLoadWithoutWarnings) {
  for (const NamedBytes& seed : seed_banks()) {
    auto bank = engine::sf2::load_bank_from_bytes(seed.bytes, seed.name);
    ASSERT_TRUE(bank) << bank.error().message();
    EXPECT_TRUE((*bank)->warnings().empty()) << seed.name << ": " << (*bank)->warnings().front();
    const engine::synth::PreparedBank prepared(*bank);
    fuzz::check_bank(prepared);
    EXPECT_GT(prepared.presets().size(), 0u) << seed.name;
  }
}

TEST(HostileSf2, MutatedCorpusIsReproducibleFromItsSeed) {
  const auto a = mutated_banks(5, 30), b = mutated_banks(5, 30);
  ASSERT_EQ(a.size(), 30u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].bytes, b[i].bytes) << a[i].name;
}

// Every mutant loads into a bank whose prepared regions the kernels can read, or fails with a
// one-line error naming the file; both outcomes are common, and every kind of damage appears.
TEST(HostileSf2, MutatedBanksLoadOrFailWithAOneLineError) {
  const auto mutants = mutated_banks(20261124, 400);
  std::size_t loaded = 0, refused = 0;
  std::set<std::string> kinds;
  for (const Mutant& m : mutants) {
    kinds.insert(m.mutation.substr(0, m.mutation.find(':')));
    auto bank = engine::sf2::load_bank_from_bytes(m.bytes, m.name);
    if (bank) {
      ++loaded;
      const engine::synth::PreparedBank prepared(*bank);
      fuzz::check_bank(prepared);
    } else {
      ++refused;
      fuzz::check_error(bank.error(), m.name, m.bytes.size());
    }
  }
  EXPECT_GT(loaded, mutants.size() / 5);
  EXPECT_GT(refused, mutants.size() / 10);
  EXPECT_EQ(kinds.size(), 10u);
}

// Fuzz finding sf2-2 (tutti_fuzz_sf2, check_bank): wPreset is a 16-bit field, and
// PreparedBank's lookup key kept only its low 8 bits, so a preset numbered 256 that came first
// in the file answered program 0 of its bank and the real program 0 was never played. FluidSynth
// compares the whole number (such a preset is simply unreachable from MIDI).
TEST(HostileSf2, ProgramNumbersAbove127DoNotShadowTheirLowByte) {
  Sf2Builder b;
  const int s = b.add_sample(sine_loop(4, 25), {.loop_start = 0, .loop_end = 100});
  const int i = b.add_instrument("Sine", {zone(s).gen(Generator::sampleModes, 1)});
  b.add_preset("High", 0, 256, {preset_zone(i)});
  b.add_preset("Zero", 0, 0, {preset_zone(i)});
  auto bank = engine::sf2::load_bank_from_bytes(b.bytes(), "high.sf2");
  ASSERT_TRUE(bank) << bank.error().message();
  const engine::synth::PreparedBank prepared(*bank);
  const engine::synth::PreparedPreset* zero = prepared.find(0, 0);
  ASSERT_NE(zero, nullptr);
  EXPECT_EQ(zero->preset->name, "Zero");
  fuzz::check_bank(prepared);
}

}  // namespace
}  // namespace tutti::test
