#include "engine/sf2/hydra.h"

#include <array>
#include <optional>
#include <span>
#include <tuple>
#include <utility>

#include "engine/common/byte_reader.h"
#include "engine/sf2/sample_rules.h"
#include "engine/sf2/zone_rules.h"

namespace tutti::engine::sf2::detail {

namespace {

// One of the nine pdta sub-chunks, seen as an array of fixed-size records (section 7.1).
struct RecordArray {
  std::string where;  // "pdta/pbag"
  std::span<const std::uint8_t> data;
  std::int64_t header_offset = 0;
  std::int64_t data_offset = 0;
  std::size_t record_size = 0;
  std::size_t count = 0;

  std::int64_t record_offset(std::size_t index) const {
    return data_offset + static_cast<std::int64_t>(index * record_size);
  }
  ByteReader record(std::size_t index) const {
    return ByteReader(data.subspan(index * record_size, record_size), record_offset(index));
  }
};

struct SubChunkSpec {
  const char* id;
  std::size_t record_size;
};
constexpr std::array<SubChunkSpec, 9> kSubChunks = {{
    {"phdr", 38}, {"pbag", 4}, {"pmod", 10}, {"pgen", 4}, {"inst", 22},
    {"ibag", 4}, {"imod", 10}, {"igen", 4}, {"shdr", 46},
}};
enum SubChunkIndex { kPhdr, kPbag, kPmod, kPgen, kInst, kIbag, kImod, kIgen, kShdr };

Unexpected failure(const std::string& where, std::int64_t offset, std::string what) {
  return Unexpected{Error{"", where, offset, std::move(what)}};
}

// A preset or instrument header: what the two have in common, plus the preset's numbers.
struct HeaderRecord {
  std::string name;
  std::uint16_t program = 0;
  std::uint16_t bank = 0;
  std::uint16_t bag = 0;
};

struct BagRecord {
  std::uint16_t generator = 0;
  std::uint16_t modulator = 0;
};

std::vector<HeaderRecord> read_preset_headers(const RecordArray& array) {
  std::vector<HeaderRecord> headers(array.count);
  for (std::size_t i = 0; i < array.count; ++i) {
    ByteReader r = array.record(i);
    headers[i].name = *r.fixed_string(20);
    headers[i].program = *r.u16_le();
    headers[i].bank = *r.u16_le();
    headers[i].bag = *r.u16_le();  // dwLibrary, dwGenre, dwMorphology follow, unused (section 7.2)
  }
  return headers;
}

std::vector<HeaderRecord> read_instrument_headers(const RecordArray& array) {
  std::vector<HeaderRecord> headers(array.count);
  for (std::size_t i = 0; i < array.count; ++i) {
    ByteReader r = array.record(i);
    headers[i].name = *r.fixed_string(20);
    headers[i].bag = *r.u16_le();
  }
  return headers;
}

std::vector<BagRecord> read_bags(const RecordArray& array) {
  std::vector<BagRecord> bags(array.count);
  for (std::size_t i = 0; i < array.count; ++i) {
    ByteReader r = array.record(i);
    bags[i].generator = *r.u16_le();
    bags[i].modulator = *r.u16_le();
  }
  return bags;
}

std::vector<Modulator> read_modulators(const RecordArray& array) {
  std::vector<Modulator> modulators(array.count);
  for (std::size_t i = 0; i < array.count; ++i) {
    ByteReader r = array.record(i);
    modulators[i].source = *r.u16_le();
    modulators[i].destination = *r.u16_le();
    modulators[i].amount = *r.i16_le();
    modulators[i].amount_source = *r.u16_le();
    modulators[i].transform = *r.u16_le();
  }
  return modulators;
}

std::vector<RawGenerator> read_generators(const RecordArray& array) {
  std::vector<RawGenerator> generators(array.count);
  for (std::size_t i = 0; i < array.count; ++i) {
    ByteReader r = array.record(i);
    generators[i].oper = *r.u16_le();
    generators[i].amount = *r.u16_le();
  }
  return generators;
}

std::vector<SampleHeader> read_sample_headers(const RecordArray& array) {
  std::vector<SampleHeader> samples(array.count);
  for (std::size_t i = 0; i < array.count; ++i) {
    ByteReader r = array.record(i);
    SampleHeader& s = samples[i];
    s.name = *r.fixed_string(20);
    s.start = *r.u32_le();
    s.end = *r.u32_le();
    s.loop_start = *r.u32_le();
    s.loop_end = *r.u32_le();
    s.sample_rate = *r.u32_le();
    s.original_pitch = *r.u8();
    s.pitch_correction = *r.i8();
    s.sample_link = *r.u16_le();
    s.sample_type = *r.u16_le();
  }
  return samples;
}

// Sections 7.2 and 7.6: bag indices never decrease, and the terminal header's index is the last
// bag record (the terminal bag), so every bag belongs to exactly one preset or instrument.
Expected<void> check_header_bags(const std::vector<HeaderRecord>& headers, const RecordArray& header_array,
                                 const RecordArray& bag_array, const char* owner_kind,
                                 std::vector<std::string>& warnings) {
  for (std::size_t i = 1; i < headers.size(); ++i) {
    if (headers[i].bag < headers[i - 1].bag) {
      const std::string who =
          i + 1 == headers.size() ? std::string("the terminal record") : std::string(owner_kind) + " '" + headers[i].name + "'";
      return failure(header_array.where, header_array.record_offset(i),
                     "bag index " + std::to_string(headers[i].bag) + " of " + who + " is less than the previous " +
                         std::to_string(headers[i - 1].bag) + " (indices must not decrease)");
    }
  }
  const std::size_t terminal = headers.back().bag;
  if (bag_array.count == 0) {
    return failure(bag_array.where, bag_array.header_offset, "no records: the terminal record is missing");
  }
  if (terminal > bag_array.count - 1) {
    return failure(header_array.where, header_array.record_offset(headers.size() - 1),
                   "terminal record's bag index " + std::to_string(terminal) + " is out of range (" +
                       bag_array.where + " has " + std::to_string(bag_array.count) +
                       " records including its terminal record)");
  }
  if (terminal < bag_array.count - 1) {
    return failure(bag_array.where, bag_array.record_offset(terminal + 1),
                   std::to_string(bag_array.count - 1 - terminal) + " records after bag " + std::to_string(terminal) +
                       ", the terminal one according to " + header_array.where + ", belong to no " + owner_kind);
  }
  if (headers.front().bag > 0) {
    warnings.push_back(bag_array.where + ": the first " + std::to_string(headers.front().bag) +
                       " zones belong to no " + owner_kind + " and are ignored");
  }
  return {};
}

// Sections 7.3 and 7.7: generator and modulator indices never decrease, and the terminal bag's
// indices are the terminal records of pgen/pmod (igen/imod). A missing terminal record in those
// four is accepted with a warning, as FluidSynth 2.3.1 accepts it.
Expected<void> check_bag_items(const std::vector<BagRecord>& bags, std::uint16_t BagRecord::*field,
                               const RecordArray& bag_array, const RecordArray& item_array,
                               const char* item_kind, std::vector<std::string>& warnings) {
  for (std::size_t i = 1; i < bags.size(); ++i) {
    if (bags[i].*field < bags[i - 1].*field) {
      return failure(bag_array.where, bag_array.record_offset(i),
                     std::string(item_kind) + " index " + std::to_string(bags[i].*field) +
                         " is less than the previous bag's " + std::to_string(bags[i - 1].*field) +
                         " (indices must not decrease)");
    }
  }
  const std::size_t terminal = bags.back().*field;
  if (terminal > item_array.count) {
    return failure(bag_array.where, bag_array.record_offset(bags.size() - 1),
                   "terminal bag's " + std::string(item_kind) + " index " + std::to_string(terminal) +
                       " is out of range (" + item_array.where + " has " + std::to_string(item_array.count) +
                       " records)");
  }
  if (terminal == item_array.count) {
    warnings.push_back(item_array.where + ": the terminal record is missing; accepted as FluidSynth does");
  } else if (terminal + 1 < item_array.count) {
    return failure(item_array.where, item_array.record_offset(terminal + 1),
                   std::to_string(item_array.count - 1 - terminal) + " records after record " +
                       std::to_string(terminal) + ", the terminal one according to " + bag_array.where +
                       ", belong to no zone");
  }
  if (bags.front().*field > 0) {
    warnings.push_back(item_array.where + ": the first " + std::to_string(bags.front().*field) +
                       " records belong to no zone and are ignored");
  }
  return {};
}

// Everything one level of the hydra (presets or instruments) needs to build its zones.
struct LevelInput {
  ZoneLevel level;
  const char* owner_kind;  // "preset" / "instrument"
  std::vector<HeaderRecord> headers;  // including the terminal record
  std::vector<BagRecord> bags;
  std::vector<RawGenerator> generators;
  std::vector<Modulator> modulators;
  const RecordArray* generator_array;
  std::size_t link_count;  // instruments for presets, samples for instruments
  const char* link_kind;   // "instrument" / "sample"
};

struct OwnerZones {
  std::optional<Zone> global_zone;
  std::vector<Zone> zones;
};

std::string owner_label(const LevelInput& in, std::size_t owner) {
  const HeaderRecord& h = in.headers[owner];
  std::string label = std::string(in.owner_kind) + " '" + h.name + "'";
  if (in.level == ZoneLevel::preset) label += " (" + std::to_string(h.bank) + ":" + std::to_string(h.program) + ")";
  return label;
}

// Builds the zones of every preset or instrument. `unusable` (instrument level only) gives, per
// sample, why a zone must not play it; such zones are dropped with a warning naming the sample.
Expected<std::vector<OwnerZones>> build_zones(const LevelInput& in, const std::vector<SampleHeader>* samples,
                                              const std::vector<std::optional<std::string>>* unusable,
                                              std::vector<std::string>& warnings) {
  const std::size_t owners = in.headers.size() - 1;
  std::vector<OwnerZones> out(owners);
  for (std::size_t owner = 0; owner < owners; ++owner) {
    const std::size_t first_bag = in.headers[owner].bag;
    const std::size_t end_bag = in.headers[owner + 1].bag;
    for (std::size_t bag = first_bag; bag < end_bag; ++bag) {
      const std::size_t zone_number = bag - first_bag;
      const std::size_t first_gen = in.bags[bag].generator;
      const std::size_t end_gen = in.bags[bag + 1].generator;
      const std::size_t first_mod = in.bags[bag].modulator;
      const std::size_t end_mod = in.bags[bag + 1].modulator;
      GeneratorReadout readout = apply_generator_rules(
          std::span<const RawGenerator>(in.generators).subspan(first_gen, end_gen - first_gen), in.level);
      // Built only when a message needs it: most zones of a real bank have nothing to report.
      auto zone_label = [&] { return owner_label(in, owner) + " zone " + std::to_string(zone_number); };
      if (readout.zone.link && *readout.zone.link >= in.link_count) {
        return failure(in.generator_array->where, in.generator_array->record_offset(first_gen + *readout.terminal_index),
                       zone_label() + " refers to " + in.link_kind + " " + std::to_string(*readout.zone.link) +
                           ", but there are " + std::to_string(in.link_count));
      }
      if (std::string text = describe(readout, in.level); !text.empty()) {
        warnings.push_back(zone_label() + ": " + text);
      }
      ModulatorReadout modulators = apply_modulator_rules(
          std::span<const Modulator>(in.modulators).subspan(first_mod, end_mod - first_mod));
      if (std::string text = describe(modulators); !text.empty()) warnings.push_back(zone_label() + ": " + text);
      readout.zone.modulators = std::move(modulators.kept);

      if (!readout.zone.link) {
        // Sections 7.5/7.9: only the first zone may be global; a later zone without the terminal
        // generator is ignored.
        if (zone_number == 0) {
          out[owner].global_zone = std::move(readout.zone);
        } else {
          warnings.push_back(zone_label() + ": no " + std::string(in.link_kind) +
                             " generator and not the first zone: ignored");
        }
        continue;
      }
      if (unusable != nullptr) {
        const std::size_t sample = *readout.zone.link;
        if (const auto& reason = (*unusable)[sample]) {
          warnings.push_back(zone_label() + ": uses sample '" + (*samples)[sample].name + "', which cannot be played (" +
                             *reason + "): zone dropped");
          continue;
        }
      }
      out[owner].zones.push_back(std::move(readout.zone));
    }
  }
  return out;
}

Expected<std::array<RecordArray, 9>> find_sub_chunks(const riff::Chunk& pdta, std::vector<std::string>& warnings) {
  auto chunks = riff::read_chunks(pdta.data, pdta.data_offset, "pdta");
  if (!chunks) return Unexpected{chunks.error()};
  std::array<RecordArray, 9> arrays;
  std::array<bool, 9> found{};
  for (const riff::Chunk& chunk : *chunks) {
    bool known = false;
    for (std::size_t k = 0; k < kSubChunks.size(); ++k) {
      if (!chunk.is(kSubChunks[k].id)) continue;
      known = true;
      if (found[k]) {
        warnings.push_back(std::string("pdta: a second '") + kSubChunks[k].id + "' sub-chunk at byte " +
                           std::to_string(chunk.header_offset) + " is ignored");
        break;
      }
      RecordArray& a = arrays[k];
      a.where = std::string("pdta/") + kSubChunks[k].id;
      a.data = chunk.data;
      a.header_offset = chunk.header_offset;
      a.data_offset = chunk.data_offset;
      a.record_size = kSubChunks[k].record_size;
      if (chunk.data.size() % a.record_size != 0) {
        return failure(a.where, a.header_offset,
                       "size " + std::to_string(chunk.data.size()) + " is not a multiple of the " +
                           std::to_string(a.record_size) + "-byte record");
      }
      a.count = chunk.data.size() / a.record_size;
      found[k] = true;
      break;
    }
    if (!known) {
      warnings.push_back("pdta: unknown sub-chunk '" + riff::printable(chunk.id) + "' at byte " +
                         std::to_string(chunk.header_offset) + " is ignored");
    }
  }
  for (std::size_t k = 0; k < kSubChunks.size(); ++k) {
    if (!found[k]) {
      return failure("pdta", pdta.header_offset, std::string("the '") + kSubChunks[k].id + "' sub-chunk is missing");
    }
  }
  // The header arrays end with a terminal record that closes the last preset, instrument or
  // sample (sections 7.2, 7.6, 7.10); without it the file is structurally unsound.
  for (SubChunkIndex k : {kPhdr, kInst, kShdr}) {
    if (arrays[k].count == 0) {
      return failure(arrays[k].where, arrays[k].header_offset, "no records: the terminal record is missing");
    }
  }
  return arrays;
}

}  // namespace

Expected<Hydra> read_hydra(const riff::Chunk& pdta, std::size_t sample_points, std::vector<std::string>& warnings) {
  auto found = find_sub_chunks(pdta, warnings);
  if (!found) return Unexpected{found.error()};
  const std::array<RecordArray, 9>& a = *found;

  LevelInput presets{ZoneLevel::preset, "preset", read_preset_headers(a[kPhdr]), read_bags(a[kPbag]),
                     read_generators(a[kPgen]), read_modulators(a[kPmod]), &a[kPgen], 0, "instrument"};
  LevelInput instruments{ZoneLevel::instrument, "instrument", read_instrument_headers(a[kInst]), read_bags(a[kIbag]),
                         read_generators(a[kIgen]), read_modulators(a[kImod]), &a[kIgen], 0, "sample"};

  for (const auto& [level, header_k, bag_k, mod_k, gen_k] :
       {std::tuple{&presets, kPhdr, kPbag, kPmod, kPgen}, std::tuple{&instruments, kInst, kIbag, kImod, kIgen}}) {
    if (auto ok = check_header_bags(level->headers, a[header_k], a[bag_k], level->owner_kind, warnings); !ok) {
      return Unexpected{ok.error()};
    }
    if (auto ok = check_bag_items(level->bags, &BagRecord::modulator, a[bag_k], a[mod_k], "modulator", warnings); !ok) {
      return Unexpected{ok.error()};
    }
    if (auto ok = check_bag_items(level->bags, &BagRecord::generator, a[bag_k], a[gen_k], "generator", warnings); !ok) {
      return Unexpected{ok.error()};
    }
  }

  Hydra hydra;
  hydra.samples = read_sample_headers(a[kShdr]);
  hydra.samples.pop_back();  // the terminal record "EOS"
  std::vector<std::optional<std::string>> unusable(hydra.samples.size());
  for (std::size_t i = 0; i < hydra.samples.size(); ++i) {
    unusable[i] = check_sample(hydra.samples[i], sample_points, hydra.samples.size(), warnings);
  }

  instruments.link_count = hydra.samples.size();
  auto instrument_zones = build_zones(instruments, &hydra.samples, &unusable, warnings);
  if (!instrument_zones) return Unexpected{instrument_zones.error()};
  hydra.instruments.resize(instruments.headers.size() - 1);
  for (std::size_t i = 0; i < hydra.instruments.size(); ++i) {
    hydra.instruments[i].name = instruments.headers[i].name;
    hydra.instruments[i].global_zone = std::move((*instrument_zones)[i].global_zone);
    hydra.instruments[i].zones = std::move((*instrument_zones)[i].zones);
  }

  presets.link_count = hydra.instruments.size();
  auto preset_zones = build_zones(presets, nullptr, nullptr, warnings);
  if (!preset_zones) return Unexpected{preset_zones.error()};
  hydra.presets.resize(presets.headers.size() - 1);
  for (std::size_t i = 0; i < hydra.presets.size(); ++i) {
    Preset& p = hydra.presets[i];
    p.name = presets.headers[i].name;
    p.program = presets.headers[i].program;
    p.bank = presets.headers[i].bank;
    p.global_zone = std::move((*preset_zones)[i].global_zone);
    p.zones = std::move((*preset_zones)[i].zones);
  }

  if (hydra.presets.empty()) warnings.push_back("pdta/phdr: the bank has no presets");
  if (hydra.samples.empty()) warnings.push_back("pdta/shdr: the bank has no samples");
  return hydra;
}

}  // namespace tutti::engine::sf2::detail
