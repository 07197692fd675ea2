// Structural defects (RIFF, INFO, sdta and the pdta index web) are errors that name the file, the
// chunk and the byte offset; the defects the spec or FluidSynth tolerate are warnings.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/engine/sf2/sf2_test_util.h"

namespace tutti::test {
namespace {

// Two presets over two instruments over two samples, so that indices have room to go wrong.
Sf2Builder two_of_everything() {
  Sf2Builder b;
  const int s0 = b.add_sample(sine_loop(2, 32));
  const int s1 = b.add_sample(saw_loop(2, 32));
  const int i0 = b.add_instrument("I0", {zone(s0).gen(Generator::pan, 10), zone(s1).key_range(60, 127)});
  const int i1 = b.add_instrument("I1", {global_zone().gen(Generator::releaseVolEnv, 100), zone(s1)});
  b.add_preset("P0", 0, 0, {preset_zone(i0)});
  b.add_preset("P1", 0, 1, {preset_zone(i0).key_range(0, 59), preset_zone(i1).key_range(60, 127)});
  return b;
}

std::int64_t record_offset(const RawBank& raw, std::string_view id, std::size_t record_size, std::size_t index) {
  return raw.data_offset("pdta", id) + static_cast<std::int64_t>(record_size * index);
}

// ---- RIFF and the top-level lists ----------------------------------------------------------------

TEST(Sf2Structure, NotRiffIsAnError) {
  std::vector<std::uint8_t> bytes = minimal_builder().bytes();
  bytes[0] = 'X';
  EXPECT_TRUE(fails_at(bytes, "RIFF", 0, "not a RIFF file"));
}

TEST(Sf2Structure, FormTypeMustBeSfbk) {
  RawBank raw = minimal_builder().raw();
  raw.form = "WAVE";
  EXPECT_TRUE(fails_at(raw.assemble(), "RIFF", 8, "'WAVE' is not 'sfbk'"));
}

TEST(Sf2Structure, EmptyAndTinyFilesAreErrors) {
  EXPECT_TRUE(fails_at({}, "RIFF", 0, "too short"));
  EXPECT_TRUE(fails_at({'R', 'I', 'F', 'F', 4, 0, 0}, "RIFF", 0, "too short"));
}

TEST(Sf2Structure, TruncatedFileIsAnError) {
  std::vector<std::uint8_t> bytes = minimal_builder().bytes();
  bytes.resize(bytes.size() - 10);
  EXPECT_TRUE(fails_at(bytes, "RIFF", 0, "truncated"));
}

TEST(Sf2Structure, TrailingBytesAfterTheFormAreAWarning) {
  std::vector<std::uint8_t> bytes = minimal_builder().bytes();
  bytes.insert(bytes.end(), {1, 2, 3});
  auto bank = load_ok(bytes);
  ASSERT_TRUE(bank);
  EXPECT_TRUE(has_warning(*bank, "3 bytes after the RIFF form"));
}

TEST(Sf2Structure, ListSizePastTheFormIsAnErrorNamingTheList) {
  RawBank raw = minimal_builder().raw();
  raw.list("sdta")->declared_size = 0x7fffffff;
  EXPECT_TRUE(fails_at(raw.assemble(), "sdta", raw.list_offset("sdta"), "runs past the end of its parent"));
}

TEST(Sf2Structure, ChunkSizePastItsListIsAnErrorNamingTheChunk) {
  RawBank raw = minimal_builder().raw();
  raw.at("pdta", "pbag").declared_size = 1000;
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/pbag", raw.header_offset("pdta", "pbag"), "runs past"));
}

TEST(Sf2Structure, MissingListsAreErrors) {
  for (const char* list : {"INFO", "sdta", "pdta"}) {
    RawBank raw = minimal_builder().raw();
    std::erase_if(raw.lists, [list](const RawList& l) { return l.type == list; });
    EXPECT_TRUE(fails_at(raw.assemble(), "sfbk", 12, std::string("LIST '") + list + "' chunk is missing")) << list;
  }
}

TEST(Sf2Structure, ListsInAnyOrderAndUnknownChunksAreAccepted) {
  RawBank raw = minimal_builder().raw();
  std::swap(raw.lists[0], raw.lists[2]);  // pdta, sdta, INFO
  raw.lists.push_back({"junk", {{"abcd", {1, 2, 3}, std::nullopt, true}}, std::nullopt});
  raw.list("INFO")->chunks.push_back({"ICMT", {'h', 'i', 0, 0}, std::nullopt, true});
  raw.list("pdta")->chunks.push_back({"xtra", {0, 0}, std::nullopt, true});
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->presets().size(), 1u);
  EXPECT_TRUE(has_warning(*bank, "unknown LIST 'junk'"));
  EXPECT_TRUE(has_warning(*bank, "unknown sub-chunk 'xtra'"));
  EXPECT_EQ(count_warnings(*bank, "ICMT"), 0);  // known INFO chunks are skipped silently
}

TEST(Sf2Structure, OddChunkWithoutPadByteIsStillRead) {
  RawBank raw = minimal_builder().raw();
  raw.list("INFO")->chunks.push_back({"ICMT", {'a', 'b', 'c'}, std::nullopt, false});  // no pad
  raw.list("INFO")->chunks.push_back({"ICOP", {'m', 'e', 0, 0}, std::nullopt, true});
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->info().copyright, "me");
}

// ---- INFO -------------------------------------------------------------------------------------------

TEST(Sf2Structure, IfilIsMandatory) {
  RawBank raw = minimal_builder().raw();
  raw.remove("INFO", "ifil");
  EXPECT_TRUE(fails_at(raw.assemble(), "INFO", raw.list_offset("INFO"), "'ifil' sub-chunk is missing"));
}

TEST(Sf2Structure, IfilMustBeFourBytes) {
  RawBank raw = minimal_builder().raw();
  raw.at("INFO", "ifil").data.resize(6);
  EXPECT_TRUE(fails_at(raw.assemble(), "INFO/ifil", raw.header_offset("INFO", "ifil"), "size 6 is not 4"));
}

TEST(Sf2Structure, OnlySoundFont2IsRead) {
  for (auto [major, what] : {std::pair{1, "is not SoundFont 2"}, std::pair{3, "SoundFont 3"},
                             std::pair{4, "newer than SoundFont 2"}}) {
    Sf2Builder b = minimal_builder();
    b.set_version(major, 0);
    RawBank raw = b.raw();
    EXPECT_TRUE(fails_at(raw.assemble(), "INFO/ifil", raw.header_offset("INFO", "ifil"), what)) << major;
  }
}

TEST(Sf2Structure, MissingIsngDefaultsToEmu8000AndMissingInamWarns) {
  RawBank raw = minimal_builder().raw();
  raw.remove("INFO", "isng");
  raw.remove("INFO", "INAM");
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->info().engine, "EMU8000");
  EXPECT_EQ(bank->info().name, "");
  EXPECT_TRUE(has_warning(*bank, "'INAM' sub-chunk is missing"));
}

TEST(Sf2Structure, InfoTextIsMadeSafeToPrint) {
  RawBank raw = minimal_builder().raw();
  raw.at("INFO", "INAM").data = {'A', 0x01, 0xa9, 'B'};  // no terminator, control and Latin-1 bytes
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->info().name, "A??B");
}

// ---- sdta ---------------------------------------------------------------------------------------------

TEST(Sf2Structure, SmplIsMandatory) {
  RawBank raw = minimal_builder().raw();
  raw.remove("sdta", "smpl");
  EXPECT_TRUE(fails_at(raw.assemble(), "sdta", raw.list_offset("sdta"), "'smpl' sub-chunk is missing"));
}

TEST(Sf2Structure, MisalignedSampleDataIsCopiedWithAWarning) {
  Sf2Builder b = minimal_builder();
  RawBank raw = b.raw();
  // An odd INFO chunk without its pad byte puts everything after it at odd offsets.
  raw.list("INFO")->chunks.push_back({"ICMT", {'x', 'y', 'z'}, std::nullopt, false});
  std::vector<std::uint8_t> bytes = raw.assemble();
  ASSERT_EQ(raw.data_offset("sdta", "smpl") % 2, 1);
  const std::vector<float> expected = sine_loop(4, 50);
  auto bank = load_ok(std::move(bytes));
  ASSERT_TRUE(bank);
  EXPECT_TRUE(has_warning(*bank, "odd byte offset"));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(bank->sample_data().data()) % 2, 0u);
  ASSERT_EQ(bank->sample_data().size(), 246u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(bank->sample_data()[i], static_cast<std::int16_t>(std::lround(expected[i] * 32767.0f))) << i;
  }
}

TEST(Sf2Structure, OddSmplSizeDropsTheLastByte) {
  RawBank raw = minimal_builder().raw();
  raw.at("sdta", "smpl").data.push_back(0x55);
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->sample_data().size(), 246u);
  EXPECT_TRUE(has_warning(*bank, "odd size"));
}

// ---- pdta: sizes and terminal records ----------------------------------------------------------------

TEST(Sf2Structure, EveryPdtaSubChunkIsRequired) {
  for (const char* id : {"phdr", "pbag", "pmod", "pgen", "inst", "ibag", "imod", "igen", "shdr"}) {
    RawBank raw = minimal_builder().raw();
    raw.remove("pdta", id);
    EXPECT_TRUE(fails_at(raw.assemble(), "pdta", raw.list_offset("pdta"), std::string("'") + id + "' sub-chunk is missing"))
        << id;
  }
}

TEST(Sf2Structure, PdtaSizesMustBeMultiplesOfTheRecordSize) {
  for (const char* id : {"phdr", "pbag", "pmod", "pgen", "inst", "ibag", "imod", "igen", "shdr"}) {
    RawBank raw = minimal_builder().raw();
    raw.at("pdta", id).data.push_back(0);
    raw.at("pdta", id).data.push_back(0);
    EXPECT_TRUE(fails_at(raw.assemble(), std::string("pdta/") + id, raw.header_offset("pdta", id), "not a multiple"))
        << id;
  }
}

TEST(Sf2Structure, HeaderArraysNeedTheirTerminalRecord) {
  for (const char* id : {"phdr", "inst", "shdr"}) {
    RawBank raw = minimal_builder().raw();
    raw.at("pdta", id).data.clear();
    EXPECT_TRUE(fails_at(raw.assemble(), std::string("pdta/") + id, raw.header_offset("pdta", id), "terminal record"))
        << id;
  }
}

TEST(Sf2Structure, BagArraysNeedTheirTerminalRecord) {
  RawBank raw = minimal_builder().raw();
  raw.at("pdta", "ibag").data.resize(record::bag);  // only the instrument's bag, no terminal
  // The terminal instrument header now points past the last ibag record.
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/inst", record_offset(raw, "inst", record::inst, 1), "out of range"));
}

TEST(Sf2Structure, MissingGeneratorAndModulatorTerminalsAreAcceptedAsFluidSynthDoes) {
  RawBank raw = minimal_builder().raw();
  for (auto [id, size] : {std::pair{"pgen", record::gen}, std::pair{"igen", record::gen},
                          std::pair{"pmod", record::mod}, std::pair{"imod", record::mod}}) {
    auto& data = raw.at("pdta", id).data;
    data.resize(data.size() - size);
  }
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  for (const char* id : {"pdta/pgen", "pdta/igen", "pdta/pmod", "pdta/imod"}) {
    EXPECT_TRUE(has_warning(*bank, std::string(id) + ": the terminal record is missing")) << id;
  }
  ASSERT_EQ(bank->instruments().size(), 1u);
  ASSERT_EQ(bank->instruments()[0].zones.size(), 1u);
  EXPECT_EQ(bank->instruments()[0].zones[0].generators.size(), 1u);
}

TEST(Sf2Structure, EmptyBankLoadsWithWarnings) {
  Sf2Builder b;
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->presets().empty());
  EXPECT_TRUE(bank->instruments().empty());
  EXPECT_TRUE(bank->samples().empty());
  EXPECT_TRUE(has_warning(*bank, "no presets"));
  EXPECT_EQ(bank->find_preset(0, 0), nullptr);
}

// ---- pdta: the index web -------------------------------------------------------------------------------

TEST(Sf2Structure, PresetBagIndicesMustNotDecrease) {
  RawBank raw = two_of_everything().raw();
  auto& phdr = raw.at("pdta", "phdr").data;
  put_u16(phdr, 1 * record::phdr + record::phdr_bag, 0);
  put_u16(phdr, 0 * record::phdr + record::phdr_bag, 1);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/phdr", record_offset(raw, "phdr", record::phdr, 1), "'P1'"));
}

TEST(Sf2Structure, TerminalPresetBagIndexOutOfRange) {
  RawBank raw = two_of_everything().raw();
  put_u16(raw.at("pdta", "phdr").data, 2 * record::phdr + record::phdr_bag, 9);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/phdr", record_offset(raw, "phdr", record::phdr, 2), "out of range"));
}

TEST(Sf2Structure, UnreferencedBagRecordsAreAnError) {
  RawBank raw = two_of_everything().raw();
  // The terminal preset header now says bag 2 is the terminal bag: bag 3 belongs to nobody.
  put_u16(raw.at("pdta", "phdr").data, 2 * record::phdr + record::phdr_bag, 2);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/pbag", record_offset(raw, "pbag", record::bag, 3),
                       "1 records after bag 2, the terminal one according to pdta/phdr, belong to no preset"));
}

TEST(Sf2Structure, FirstPresetNotAtBagZeroIsAWarning) {
  RawBank raw = two_of_everything().raw();
  put_u16(raw.at("pdta", "phdr").data, 0 * record::phdr + record::phdr_bag, 1);  // P0 loses its zone
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(has_warning(*bank, "pdta/pbag: the first 1 zones belong to no preset"));
  EXPECT_TRUE(bank->presets()[0].zones.empty());
  EXPECT_EQ(bank->presets()[1].zones.size(), 2u);
}

TEST(Sf2Structure, BagGeneratorIndicesMustNotDecrease) {
  RawBank raw = two_of_everything().raw();
  put_u16(raw.at("pdta", "ibag").data, 2 * record::bag, 0);  // the third bag's generator index
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/ibag", record_offset(raw, "ibag", record::bag, 2),
                       "generator index 0 is less than"));
}

TEST(Sf2Structure, BagModulatorIndicesMustNotDecrease) {
  Sf2Builder b;
  const int s = b.add_sample(silence(8));
  const Modulator m = modulator(cc_source(1), Generator::pan, 10);
  const int i = b.add_instrument("I", {zone(s).mod(m), zone(s).mod(m)});
  b.add_preset("P", 0, 0, {preset_zone(i)});
  RawBank raw = b.raw();
  put_u16(raw.at("pdta", "ibag").data, 1 * record::bag + 2, 0);
  put_u16(raw.at("pdta", "ibag").data, 0 * record::bag + 2, 1);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/ibag", record_offset(raw, "ibag", record::bag, 1),
                       "modulator index 0 is less than"));
}

TEST(Sf2Structure, TerminalBagGeneratorIndexOutOfRange) {
  RawBank raw = two_of_everything().raw();
  auto& pbag = raw.at("pdta", "pbag").data;
  const std::size_t terminal = pbag.size() / record::bag - 1;
  put_u16(pbag, terminal * record::bag, 500);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/pbag", record_offset(raw, "pbag", record::bag, terminal), "out of range"));
}

TEST(Sf2Structure, UnreferencedGeneratorRecordsAreAnError) {
  RawBank raw = two_of_everything().raw();
  auto& igen = raw.at("pdta", "igen").data;
  const std::size_t count = igen.size() / record::gen;
  igen.insert(igen.end() - record::gen, {17, 0, 5, 0});  // an extra pan before the terminal
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/igen", record_offset(raw, "igen", record::gen, count),
                       "1 records after record 6, the terminal one according to pdta/ibag, belong to no zone"));
}

TEST(Sf2Structure, InstrumentIndexOutOfRangeNamesTheGeneratorRecord) {
  RawBank raw = two_of_everything().raw();
  auto& pgen = raw.at("pdta", "pgen").data;
  // pgen: P0 = [instrument 0]; P1 = [keyRange, instrument 0], [keyRange, instrument 1], terminal.
  ASSERT_EQ(get_u16(pgen, 4 * record::gen), static_cast<std::uint16_t>(Generator::instrument));
  put_u16(pgen, 4 * record::gen + 2, 2);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/pgen", record_offset(raw, "pgen", record::gen, 4),
                       "preset 'P1' (0:1) zone 1 refers to instrument 2, but there are 2"));
}

TEST(Sf2Structure, SampleIndexOutOfRangeNamesTheGeneratorRecord) {
  RawBank raw = two_of_everything().raw();
  auto& igen = raw.at("pdta", "igen").data;
  // igen: I0 = [pan, sampleID 0], [keyRange, sampleID 1]; I1 = [release], [sampleID 1].
  ASSERT_EQ(get_u16(igen, 1 * record::gen), static_cast<std::uint16_t>(Generator::sampleID));
  put_u16(igen, 1 * record::gen + 2, 0xffff);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/igen", record_offset(raw, "igen", record::gen, 1),
                       "instrument 'I0' zone 0 refers to sample 65535, but there are 2"));
}

TEST(Sf2Structure, InstrumentBagIndicesMustNotDecrease) {
  RawBank raw = two_of_everything().raw();
  put_u16(raw.at("pdta", "inst").data, 1 * record::inst + record::inst_bag, 0);
  put_u16(raw.at("pdta", "inst").data, 0 * record::inst + record::inst_bag, 2);
  EXPECT_TRUE(fails_at(raw.assemble(), "pdta/inst", record_offset(raw, "inst", record::inst, 1), "'I1'"));
}

TEST(Sf2Structure, ErrorMessageIsOneLineWithFileChunkAndOffset) {
  RawBank raw = minimal_builder().raw();
  raw.at("pdta", "pbag").data.push_back(0);
  raw.at("pdta", "pbag").data.push_back(0);
  auto bank = load(raw.assemble());
  ASSERT_FALSE(bank.has_value());
  EXPECT_EQ(bank.error().message(), "test.sf2: pdta/pbag at byte " + std::to_string(raw.header_offset("pdta", "pbag")) +
                                        ": size 10 is not a multiple of the 4-byte record");
}

}  // namespace
}  // namespace tutti::test
