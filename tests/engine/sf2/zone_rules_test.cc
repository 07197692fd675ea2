// The generator and modulator rules inside a zone (SoundFont 2.04 sections 7.4, 7.5, 7.8, 7.9,
// 8.1, 8.2, 9.4), each seen through the loader on a bank built for it.
#include <gtest/gtest.h>

#include "tests/engine/sf2/sf2_test_util.h"

namespace tutti::test {
namespace {

using engine::sf2::GeneratorValue;
using engine::sf2::Instrument;
using engine::sf2::Preset;
using engine::sf2::Zone;

std::optional<std::int16_t> generator(const Zone& zone, Generator g) {
  for (const GeneratorValue& v : zone.generators) {
    if (v.type == g) return v.amount;
  }
  return std::nullopt;
}

// A bank whose only instrument has the given zones (sample 0 exists); its preset plays it.
std::shared_ptr<const Bank> with_instrument_zones(std::vector<ZoneSpec> zones) {
  Sf2Builder b;
  b.add_sample(sine_loop(2, 32));
  const int i = b.add_instrument("Inst", std::move(zones));
  b.add_preset("Preset", 0, 0, {preset_zone(i)});
  return load_ok(b.bytes());
}

// A bank whose only preset has the given zones (instrument 0 exists).
std::shared_ptr<const Bank> with_preset_zones(std::vector<ZoneSpec> zones) {
  Sf2Builder b;
  const int s = b.add_sample(sine_loop(2, 32));
  b.add_instrument("Inst", {zone(s)});
  b.add_preset("Preset", 0, 0, std::move(zones));
  return load_ok(b.bytes());
}

const Zone& only_instrument_zone(const Bank& bank) {
  static const Zone empty;
  const Instrument& inst = bank.instruments().at(0);
  EXPECT_EQ(inst.zones.size(), 1u);
  return inst.zones.empty() ? empty : inst.zones[0];
}

// ---- Generator order (section 9.4) ------------------------------------------------------------------

TEST(Sf2GeneratorRules, KeyRangeOnlyAsTheFirstGenerator) {
  auto bank = with_instrument_zones({zone(0).in_file_order().gen(Generator::pan, 100).key_range(10, 20)});
  ASSERT_TRUE(bank);
  const Zone& z = only_instrument_zone(*bank);
  EXPECT_EQ(z.range.key_low, 0);
  EXPECT_EQ(z.range.key_high, 127);
  EXPECT_EQ(generator(z, Generator::pan), 100);
  EXPECT_TRUE(has_warning(*bank, "instrument 'Inst' zone 0: ignored 1 generator (1 misplaced keyRange/velRange)"));
}

TEST(Sf2GeneratorRules, KeyRangeAfterAnIgnoredGeneratorIsNotFirst) {
  // FluidSynth 2.3.1 agrees: any record other than keyRange ends the place where keyRange may be.
  auto bank = with_instrument_zones({zone(0).in_file_order().gen_raw(14, 0).key_range(10, 20)});
  ASSERT_TRUE(bank);
  EXPECT_EQ(only_instrument_zone(*bank).range.key_low, 0);
}

TEST(Sf2GeneratorRules, VelRangeOnlyFirstOrRightAfterKeyRange) {
  auto bank = with_instrument_zones({
      zone(0).in_file_order().key_range(1, 2).vel_range(3, 4),
      zone(0).in_file_order().vel_range(5, 6),
      zone(0).in_file_order().key_range(7, 8).gen(Generator::pan, 1).vel_range(9, 10),
      zone(0).in_file_order().vel_range(11, 12).key_range(13, 14),
  });
  ASSERT_TRUE(bank);
  const auto& zones = bank->instruments()[0].zones;
  ASSERT_EQ(zones.size(), 4u);
  EXPECT_EQ(zones[0].range.key_low, 1);
  EXPECT_EQ(zones[0].range.vel_low, 3);
  EXPECT_EQ(zones[1].range.vel_low, 5);
  EXPECT_EQ(zones[2].range.key_low, 7);
  EXPECT_EQ(zones[2].range.vel_low, 0);  // velRange after pan: ignored
  EXPECT_EQ(zones[3].range.vel_low, 11);
  EXPECT_EQ(zones[3].range.key_low, 0);  // keyRange after velRange: ignored
  EXPECT_EQ(count_warnings(*bank, "misplaced keyRange/velRange"), 2);
}

TEST(Sf2GeneratorRules, SecondKeyRangeIsIgnored) {
  auto bank = with_instrument_zones({zone(0).in_file_order().key_range(1, 2).key_range(3, 4)});
  ASSERT_TRUE(bank);
  EXPECT_EQ(only_instrument_zone(*bank).range.key_low, 1);
}

TEST(Sf2GeneratorRules, GeneratorsAfterSampleIdAreIgnored) {
  auto bank = with_instrument_zones(
      {zone(0).in_file_order().gen(Generator::pan, 5).gen(Generator::sampleID, 0).gen(Generator::coarseTune, 3)});
  ASSERT_TRUE(bank);
  const Zone& z = only_instrument_zone(*bank);
  EXPECT_EQ(z.link, 0u);
  EXPECT_EQ(generator(z, Generator::pan), 5);
  EXPECT_FALSE(generator(z, Generator::coarseTune));
  EXPECT_TRUE(has_warning(*bank, "1 after sampleID"));
}

TEST(Sf2GeneratorRules, GeneratorsAfterInstrumentAreIgnored) {
  auto bank = with_preset_zones({preset_zone(0).in_file_order().gen(Generator::instrument, 0).gen(Generator::pan, 3)});
  ASSERT_TRUE(bank);
  const Preset& p = bank->presets()[0];
  ASSERT_EQ(p.zones.size(), 1u);
  EXPECT_TRUE(p.zones[0].generators.empty());
  EXPECT_TRUE(has_warning(*bank, "preset 'Preset' (0:0) zone 0: ignored 1 generator (1 after instrument)"));
}

TEST(Sf2GeneratorRules, DuplicateGeneratorKeepsTheLastValue) {
  auto bank = with_instrument_zones(
      {zone(0).gen(Generator::pan, 100).gen(Generator::coarseTune, 2).gen(Generator::pan, -200)});
  ASSERT_TRUE(bank);
  const Zone& z = only_instrument_zone(*bank);
  ASSERT_EQ(z.generators.size(), 2u);
  EXPECT_EQ(generator(z, Generator::pan), -200);
  EXPECT_EQ(generator(z, Generator::coarseTune), 2);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2GeneratorRules, UnusedReservedAndUnknownNumbersAreIgnored) {
  auto bank = with_instrument_zones({zone(0)
                                         .gen_raw(14, 1)    // unused1
                                         .gen_raw(42, 1)    // reserved1
                                         .gen_raw(60, 1)    // endOper
                                         .gen_raw(999, 1)   // not a generator
                                         .gen(Generator::pan, 7)});
  ASSERT_TRUE(bank);
  const Zone& z = only_instrument_zone(*bank);
  ASSERT_EQ(z.generators.size(), 1u);
  EXPECT_EQ(generator(z, Generator::pan), 7);
  EXPECT_TRUE(has_warning(*bank, "ignored 4 generators (4 unknown or not allowed in an instrument)"));
}

TEST(Sf2GeneratorRules, InstrumentOnlyGeneratorsAreIgnoredInPresets) {
  // Section 8.5: sample offsets, keynum, velocity, sampleModes, exclusiveClass and
  // overridingRootKey have no meaning at preset level.
  auto bank = with_preset_zones({preset_zone(0)
                                     .gen(Generator::startAddrsOffset, 10)
                                     .gen(Generator::sampleModes, 1)
                                     .gen(Generator::exclusiveClass, 1)
                                     .gen(Generator::overridingRootKey, 60)
                                     .gen(Generator::keynum, 60)
                                     .gen(Generator::sampleID, 0)
                                     .gen(Generator::pan, 3)});
  ASSERT_TRUE(bank);
  const Zone& z = bank->presets()[0].zones.at(0);
  ASSERT_EQ(z.generators.size(), 1u);
  EXPECT_EQ(generator(z, Generator::pan), 3);
  EXPECT_TRUE(has_warning(*bank, "6 unknown or not allowed in a preset"));
}

TEST(Sf2GeneratorRules, InstrumentGeneratorIsIgnoredInInstruments) {
  auto bank = with_instrument_zones({zone(0).gen(Generator::instrument, 0).gen(Generator::pan, 1)});
  ASSERT_TRUE(bank);
  const Zone& z = only_instrument_zone(*bank);
  EXPECT_EQ(z.generators.size(), 1u);
  EXPECT_TRUE(has_warning(*bank, "not allowed in an instrument"));
}

// ---- Global zones (sections 7.5, 7.9) -----------------------------------------------------------------

TEST(Sf2GlobalZones, FirstZoneWithoutSampleIdIsGlobal) {
  auto bank = with_instrument_zones({global_zone().gen(Generator::pan, 50), zone(0), zone(0).key_range(0, 10)});
  ASSERT_TRUE(bank);
  const Instrument& inst = bank->instruments()[0];
  ASSERT_TRUE(inst.global_zone.has_value());
  EXPECT_EQ(generator(*inst.global_zone, Generator::pan), 50);
  EXPECT_EQ(inst.zones.size(), 2u);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2GlobalZones, LaterZoneWithoutSampleIdIsIgnored) {
  auto bank = with_instrument_zones({zone(0), global_zone().gen(Generator::pan, 50), zone(0)});
  ASSERT_TRUE(bank);
  const Instrument& inst = bank->instruments()[0];
  EXPECT_FALSE(inst.global_zone.has_value());
  EXPECT_EQ(inst.zones.size(), 2u);
  EXPECT_TRUE(has_warning(*bank, "instrument 'Inst' zone 1: no sample generator and not the first zone: ignored"));
}

TEST(Sf2GlobalZones, PresetGlobalZoneAndIgnoredLaterOne) {
  auto bank = with_preset_zones({global_zone().gen(Generator::initialAttenuation, 20), preset_zone(0),
                                 global_zone().gen(Generator::pan, 1)});
  ASSERT_TRUE(bank);
  const Preset& p = bank->presets()[0];
  ASSERT_TRUE(p.global_zone.has_value());
  EXPECT_EQ(generator(*p.global_zone, Generator::initialAttenuation), 20);
  EXPECT_EQ(p.zones.size(), 1u);
  EXPECT_TRUE(has_warning(*bank, "preset 'Preset' (0:0) zone 2: no instrument generator"));
}

TEST(Sf2GlobalZones, AnInstrumentMayHaveOnlyAGlobalZone) {
  auto bank = with_instrument_zones({global_zone().gen(Generator::pan, 1)});
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->instruments()[0].global_zone.has_value());
  EXPECT_TRUE(bank->instruments()[0].zones.empty());
}

TEST(Sf2GlobalZones, GlobalZoneKeepsItsModulators) {
  const Modulator m = modulator(cc_source(7), Generator::initialAttenuation, 960);
  auto bank = with_instrument_zones({global_zone().mod(m), zone(0)});
  ASSERT_TRUE(bank);
  ASSERT_TRUE(bank->instruments()[0].global_zone.has_value());
  ASSERT_EQ(bank->instruments()[0].global_zone->modulators.size(), 1u);
  EXPECT_EQ(bank->instruments()[0].global_zone->modulators[0].amount, 960);
}

// ---- Modulators (sections 7.4, 8.2) ---------------------------------------------------------------------

std::vector<Modulator> modulators_after_load(std::vector<Modulator> mods, std::shared_ptr<const Bank>* out = nullptr) {
  ZoneSpec z = zone(0);
  for (const Modulator& m : mods) z.mod(m);
  auto bank = with_instrument_zones({z});
  if (out != nullptr) *out = bank;
  if (!bank) return {};
  return only_instrument_zone(*bank).modulators;
}

const Modulator kGood = modulator(cc_source(1), Generator::vibLfoToPitch, 50);

TEST(Sf2ModulatorRules, ValidModulatorsAreKeptInOrder) {
  const Modulator velocity = modulator(general_source(GeneralController::noteOnVelocity), Generator::initialAttenuation,
                                       960, general_source(GeneralController::noteOnKeyNumber, SourceCurve::switched));
  const Modulator pressure = modulator(general_source(GeneralController::channelPressure, SourceCurve::convex, true),
                                       Generator::pan, -100, 0, 2);  // transform 2: absolute value
  std::shared_ptr<const Bank> bank;
  auto mods = modulators_after_load({kGood, velocity, pressure}, &bank);
  ASSERT_EQ(mods.size(), 3u);
  EXPECT_TRUE(mods[0].same_identity(kGood));
  EXPECT_TRUE(mods[1].same_identity(velocity));
  EXPECT_TRUE(mods[2].same_identity(pressure));
  EXPECT_EQ(mods[2].transform, 2);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2ModulatorRules, UndefinedGeneralControllerSourceIsDropped) {
  std::shared_ptr<const Bank> bank;
  auto mods = modulators_after_load({modulator(5, Generator::pan, 10), kGood}, &bank);  // index 5 is undefined
  ASSERT_EQ(mods.size(), 1u);
  EXPECT_TRUE(mods[0].same_identity(kGood));
  EXPECT_TRUE(has_warning(*bank, "instrument 'Inst' zone 0: dropped 1 modulator (1 invalid source)"));
}

TEST(Sf2ModulatorRules, IllegalCcSourcesAreDropped) {
  // Bank select, data entry, their LSBs, (N)RPN and channel mode messages may not be sources.
  for (int cc : {0, 6, 32, 38, 98, 99, 100, 101, 120, 127}) {
    auto mods = modulators_after_load({modulator(cc_source(cc), Generator::pan, 10)});
    EXPECT_TRUE(mods.empty()) << "CC " << cc;
  }
  // FluidSynth 2.3.1 accepts the other LSBs, and so do we (7-bit controllers).
  for (int cc : {1, 7, 10, 11, 33, 64, 91, 119}) {
    auto mods = modulators_after_load({modulator(cc_source(cc), Generator::pan, 10)});
    EXPECT_EQ(mods.size(), 1u) << "CC " << cc;
  }
}

TEST(Sf2ModulatorRules, IllegalAmountSourceIsDropped) {
  auto mods = modulators_after_load({modulator(cc_source(1), Generator::pan, 10, cc_source(0)),
                                     modulator(cc_source(2), Generator::pan, 10, general_source(GeneralController::link))});
  EXPECT_TRUE(mods.empty());
}

TEST(Sf2ModulatorRules, UnknownCurveTypeIsDropped) {
  const std::uint16_t curve_five = static_cast<std::uint16_t>(cc_source(1) | 5 << 10);
  auto mods = modulators_after_load({modulator(curve_five, Generator::pan, 10)});
  EXPECT_TRUE(mods.empty());
}

TEST(Sf2ModulatorRules, NoControllerSourceIsDropped) {
  std::shared_ptr<const Bank> bank;
  auto mods = modulators_after_load({modulator(general_source(GeneralController::noController), Generator::pan, 10)}, &bank);
  EXPECT_TRUE(mods.empty());
  EXPECT_TRUE(has_warning(*bank, "source 'no controller'"));
}

TEST(Sf2ModulatorRules, UnknownTransformIsDropped) {
  auto mods = modulators_after_load({modulator(cc_source(1), Generator::pan, 10, 0, 1)});
  EXPECT_TRUE(mods.empty());
}

TEST(Sf2ModulatorRules, UnknownDestinationIsDropped) {
  Modulator to_unused = kGood;
  to_unused.destination = 14;
  Modulator to_nowhere = kGood;
  to_nowhere.destination = 61;
  std::shared_ptr<const Bank> bank;
  auto mods = modulators_after_load({to_unused, to_nowhere}, &bank);
  EXPECT_TRUE(mods.empty());
  EXPECT_TRUE(has_warning(*bank, "2 invalid destination"));
}

TEST(Sf2ModulatorRules, OfTwoIdenticalModulatorsTheFirstIsIgnored) {
  Modulator later = kGood;
  later.amount = 99;  // identity excludes the amount (section 9.5.1)
  std::shared_ptr<const Bank> bank;
  auto mods = modulators_after_load({kGood, modulator(cc_source(2), Generator::pan, 1), later}, &bank);
  ASSERT_EQ(mods.size(), 2u);
  EXPECT_EQ(mods[0].source, cc_source(2));
  EXPECT_TRUE(mods[1].same_identity(kGood));
  EXPECT_EQ(mods[1].amount, 99);
  EXPECT_TRUE(has_warning(*bank, "1 identical to a later one"));
}

TEST(Sf2ModulatorRules, LinksAreKeptAndRenumberedAfterDrops) {
  // Section 8.2.2: destination bit 15 links into another modulator of the zone whose source is
  // 'link'. Dropping modulator 0 moves the link target from index 2 to index 1.
  const Modulator dropped = modulator(cc_source(0), Generator::pan, 1);
  Modulator linking = modulator(cc_source(1), Generator::pan, 10);
  linking.destination = 0x8000 | 2;
  const Modulator target = modulator(general_source(GeneralController::link), Generator::initialFilterFc, 100);
  auto mods = modulators_after_load({dropped, linking, target});
  ASSERT_EQ(mods.size(), 2u);
  EXPECT_EQ(mods[0].destination, 0x8000 | 1);
  EXPECT_EQ(mods[1].source, target.source);
}

TEST(Sf2ModulatorRules, LinksToMissingOrNonLinkModulatorsAreDropped) {
  Modulator past_end = modulator(cc_source(1), Generator::pan, 10);
  past_end.destination = 0x8000 | 7;
  Modulator to_ordinary = modulator(cc_source(2), Generator::pan, 10);
  to_ordinary.destination = 0x8000 | 0;  // modulator 0 does not take a link as its source
  Modulator to_self = modulator(general_source(GeneralController::link), Generator::pan, 10);
  to_self.destination = 0x8000 | 2;
  auto mods = modulators_after_load({past_end, to_ordinary, to_self});
  EXPECT_TRUE(mods.empty());
}

TEST(Sf2ModulatorRules, LinkIntoADroppedModulatorIsDroppedToo) {
  Modulator linking = modulator(cc_source(1), Generator::pan, 10);
  linking.destination = 0x8000 | 1;
  Modulator target = modulator(general_source(GeneralController::link), Generator::pan, 10);
  target.transform = 7;  // invalid: dropped, which orphans modulator 0
  auto mods = modulators_after_load({linking, target, kGood});
  ASSERT_EQ(mods.size(), 1u);
  EXPECT_TRUE(mods[0].same_identity(kGood));
}

TEST(Sf2ModulatorRules, PresetModulatorsFollowTheSameRules) {
  auto bank = with_preset_zones({preset_zone(0).mod(kGood).mod(modulator(cc_source(6), Generator::pan, 1))});
  ASSERT_TRUE(bank);
  ASSERT_EQ(bank->presets()[0].zones[0].modulators.size(), 1u);
  EXPECT_TRUE(has_warning(*bank, "preset 'Preset' (0:0) zone 0: dropped 1 modulator"));
}

}  // namespace
}  // namespace tutti::test
