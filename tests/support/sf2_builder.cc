#include "tests/support/sf2_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numbers>

namespace tutti::test {

namespace {

using engine::sf2::ModulatorSource;

std::int32_t scale(float value, double full_scale) {
  return static_cast<std::int32_t>(std::lround(static_cast<double>(std::clamp(value, -1.0f, 1.0f)) * full_scale));
}

void append_u16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}

void append_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xff));
}

void append_id(std::vector<std::uint8_t>& out, std::string_view id) {
  for (std::size_t i = 0; i < 4; ++i) out.push_back(i < id.size() ? static_cast<std::uint8_t>(id[i]) : ' ');
}

// A fixed-width name field: truncated to `width`, zero-filled.
void append_name(std::vector<std::uint8_t>& out, const std::string& name, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out.push_back(i < name.size() ? static_cast<std::uint8_t>(name[i]) : 0);
}

// INFO strings are zero-terminated and of even size (section 5).
std::vector<std::uint8_t> info_text(const std::string& text) {
  std::vector<std::uint8_t> out(text.begin(), text.end());
  out.push_back(0);
  if (out.size() % 2 != 0) out.push_back(0);
  return out;
}

std::uint32_t size_of_chunk(const RawChunk& chunk) {
  return static_cast<std::uint32_t>(8 + chunk.data.size() + (chunk.pad ? chunk.data.size() % 2 : 0));
}

std::uint32_t content_size(const RawList& list) {
  std::uint32_t size = 4;  // list type
  for (const RawChunk& chunk : list.chunks) size += size_of_chunk(chunk);
  return size;
}

std::uint32_t content_size(const RawBank& bank) {
  std::uint32_t size = 4;  // form type
  for (const RawList& list : bank.lists) size += 8 + content_size(list);
  return size;
}

}  // namespace

// ---- Waveforms ----------------------------------------------------------------------------------

std::vector<float> sine_loop(int cycles, int points_per_cycle, float amplitude) {
  std::vector<float> points(static_cast<std::size_t>(cycles * points_per_cycle));
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double phase = 2.0 * std::numbers::pi * static_cast<double>(i) / points_per_cycle;
    points[i] = amplitude * static_cast<float>(std::sin(phase));
  }
  return points;
}

std::vector<float> saw_loop(int cycles, int points_per_cycle, float amplitude) {
  std::vector<float> points(static_cast<std::size_t>(cycles * points_per_cycle));
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double position = static_cast<double>(i % static_cast<std::size_t>(points_per_cycle)) / points_per_cycle;
    points[i] = amplitude * static_cast<float>(2.0 * position - 1.0);
  }
  return points;
}

std::vector<float> silence(int points) { return std::vector<float>(static_cast<std::size_t>(points), 0.0f); }

std::vector<float> sine(double frequency_hz, double sample_rate, int points, float amplitude) {
  std::vector<float> out(static_cast<std::size_t>(points));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = amplitude * static_cast<float>(std::sin(2.0 * std::numbers::pi * frequency_hz * static_cast<double>(i) /
                                                     sample_rate));
  }
  return out;
}

// ---- Modulators ---------------------------------------------------------------------------------

std::uint16_t cc_source(int controller, SourceCurve curve, bool bipolar, bool descending) {
  return ModulatorSource{static_cast<std::uint8_t>(controller & 0x7f), true, descending, bipolar,
                         static_cast<std::uint8_t>(curve)}
      .encode();
}

std::uint16_t general_source(GeneralController controller, SourceCurve curve, bool bipolar, bool descending) {
  return ModulatorSource{static_cast<std::uint8_t>(controller), false, descending, bipolar,
                         static_cast<std::uint8_t>(curve)}
      .encode();
}

Modulator modulator(std::uint16_t source, Generator destination, int amount, std::uint16_t amount_source,
                    std::uint16_t transform) {
  return Modulator{source, static_cast<std::uint16_t>(destination), static_cast<std::int16_t>(amount), amount_source,
                   transform};
}

// ---- Zones --------------------------------------------------------------------------------------

ZoneSpec& ZoneSpec::gen(Generator generator, int amount) {
  return gen_raw(static_cast<std::uint16_t>(generator), static_cast<std::uint16_t>(static_cast<std::int16_t>(amount)));
}

ZoneSpec& ZoneSpec::gen_raw(std::uint16_t oper, std::uint16_t amount) {
  generators.push_back({oper, amount});
  return *this;
}

ZoneSpec& ZoneSpec::key_range(int low, int high) {
  return gen_raw(static_cast<std::uint16_t>(Generator::keyRange), static_cast<std::uint16_t>((low & 0xff) | (high & 0xff) << 8));
}

ZoneSpec& ZoneSpec::vel_range(int low, int high) {
  return gen_raw(static_cast<std::uint16_t>(Generator::velRange), static_cast<std::uint16_t>((low & 0xff) | (high & 0xff) << 8));
}

ZoneSpec& ZoneSpec::mod(const Modulator& m) {
  modulators.push_back(m);
  return *this;
}

ZoneSpec& ZoneSpec::in_file_order() {
  exact_order = true;
  return *this;
}

ZoneSpec zone(int sample) {
  ZoneSpec spec;
  spec.link = static_cast<std::uint16_t>(sample);
  return spec;
}

ZoneSpec preset_zone(int instrument) { return zone(instrument); }

ZoneSpec global_zone() { return ZoneSpec{}; }

// ---- Raw chunk tree -----------------------------------------------------------------------------

RawList* RawBank::list(std::string_view type) {
  for (RawList& l : lists) {
    if (l.type == type) return &l;
  }
  return nullptr;
}

RawChunk* RawBank::chunk(std::string_view list_type, std::string_view id) {
  RawList* l = list(list_type);
  if (l == nullptr) return nullptr;
  for (RawChunk& c : l->chunks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

RawChunk& RawBank::at(std::string_view list_type, std::string_view id) {
  RawChunk* c = chunk(list_type, id);
  if (c == nullptr) {
    std::fprintf(stderr, "RawBank::at: no chunk %.*s/%.*s\n", static_cast<int>(list_type.size()), list_type.data(),
                 static_cast<int>(id.size()), id.data());
    std::abort();
  }
  return *c;
}

void RawBank::remove(std::string_view list_type, std::string_view id) {
  RawList* l = list(list_type);
  if (l == nullptr) return;
  std::erase_if(l->chunks, [id](const RawChunk& c) { return c.id == id; });
}

std::vector<std::uint8_t> RawBank::assemble() const {
  std::vector<std::uint8_t> out;
  append_id(out, riff_id);
  append_u32(out, declared_size.value_or(content_size(*this)));
  append_id(out, form);
  for (const RawList& l : lists) {
    append_id(out, "LIST");
    append_u32(out, l.declared_size.value_or(content_size(l)));
    append_id(out, l.type);
    for (const RawChunk& c : l.chunks) {
      append_id(out, c.id);
      append_u32(out, c.declared_size.value_or(static_cast<std::uint32_t>(c.data.size())));
      out.insert(out.end(), c.data.begin(), c.data.end());
      if (c.pad && c.data.size() % 2 != 0) out.push_back(0);
    }
  }
  return out;
}

std::int64_t RawBank::list_offset(std::string_view type) const {
  std::int64_t offset = 12;
  for (const RawList& l : lists) {
    if (l.type == type) return offset;
    offset += 8 + content_size(l);
  }
  return -1;
}

std::int64_t RawBank::header_offset(std::string_view list_type, std::string_view id) const {
  std::int64_t offset = 12;
  for (const RawList& l : lists) {
    if (l.type == list_type) {
      offset += 12;
      for (const RawChunk& c : l.chunks) {
        if (c.id == id) return offset;
        offset += size_of_chunk(c);
      }
      return -1;
    }
    offset += 8 + content_size(l);
  }
  return -1;
}

void put_u16(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint16_t value) {
  bytes.at(at) = static_cast<std::uint8_t>(value & 0xff);
  bytes.at(at + 1) = static_cast<std::uint8_t>(value >> 8);
}

void put_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) bytes.at(at + i) = static_cast<std::uint8_t>((value >> (8 * i)) & 0xff);
}

std::uint16_t get_u16(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes.at(at) | bytes.at(at + 1) << 8);
}

std::uint32_t get_u32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(bytes.at(at + i)) << (8 * i);
  return value;
}

// ---- The builder --------------------------------------------------------------------------------

Sf2Builder& Sf2Builder::set_version(int major, int minor) {
  version_major_ = major;
  version_minor_ = minor;
  return *this;
}

Sf2Builder& Sf2Builder::set_name(std::string name) {
  name_ = std::move(name);
  return *this;
}

Sf2Builder& Sf2Builder::set_engine(std::string engine) {
  engine_ = std::move(engine);
  return *this;
}

Sf2Builder& Sf2Builder::set_copyright(std::string copyright) {
  copyright_ = std::move(copyright);
  return *this;
}

Sf2Builder& Sf2Builder::set_guard_points(int points) {
  guard_points_ = std::max(points, 0);
  return *this;
}

int Sf2Builder::add_sample(const std::vector<float>& points, SampleOptions options) {
  std::vector<std::int32_t> points24(points.size());
  const bool wide = options.bits24;
  for (std::size_t i = 0; i < points.size(); ++i) {
    points24[i] = wide ? scale(points[i], 8388607.0) : scale(points[i], 32767.0) * 256;
  }
  return append_points(points24, wide, std::move(options));
}

int Sf2Builder::add_sample(const std::vector<std::int16_t>& points, SampleOptions options) {
  std::vector<std::int32_t> points24(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) points24[i] = static_cast<std::int32_t>(points[i]) * 256;
  return append_points(points24, false, std::move(options));
}

int Sf2Builder::add_sample_24(const std::vector<std::int32_t>& points, SampleOptions options) {
  return append_points(points, true, std::move(options));
}

int Sf2Builder::append_points(const std::vector<std::int32_t>& points24, bool has_low_bytes, SampleOptions options) {
  const int index = static_cast<int>(samples_.size());
  has_24_bit_ = has_24_bit_ || has_low_bytes;
  SampleRecord record;
  record.name = options.name.empty() ? "sample" + std::to_string(index) : options.name;
  record.start = static_cast<std::uint32_t>(smpl_.size());
  for (std::int32_t point : points24) {
    const std::int32_t clamped = std::clamp(point, -8388608, 8388607);
    smpl_.push_back(static_cast<std::int16_t>(clamped >> 8));  // arithmetic shift: the high 16 bits
    sm24_.push_back(static_cast<std::uint8_t>(clamped & 0xff));
  }
  record.end = static_cast<std::uint32_t>(smpl_.size());
  smpl_.insert(smpl_.end(), static_cast<std::size_t>(guard_points_), 0);
  sm24_.insert(sm24_.end(), static_cast<std::size_t>(guard_points_), 0);
  record.loop_start = record.start + options.loop_start;
  record.loop_end = record.start + options.loop_end;
  record.rate = options.rate;
  record.original_pitch = static_cast<std::uint8_t>(options.root_key);
  record.pitch_correction = static_cast<std::int8_t>(options.pitch_correction);
  record.link = static_cast<std::uint16_t>(options.link);
  record.type = options.type;
  samples_.push_back(std::move(record));
  return index;
}

std::pair<int, int> Sf2Builder::add_stereo_sample(const std::vector<float>& left, const std::vector<float>& right,
                                                  SampleOptions options) {
  const std::string base = options.name.empty() ? "stereo" + std::to_string(samples_.size()) : options.name;
  const int left_index = static_cast<int>(samples_.size());
  SampleOptions left_options = options;
  left_options.name = base + "L";
  left_options.type = engine::sf2::kLeftSample;
  left_options.link = left_index + 1;
  SampleOptions right_options = options;
  right_options.name = base + "R";
  right_options.type = engine::sf2::kRightSample;
  right_options.link = left_index;
  add_sample(left, std::move(left_options));
  add_sample(right, std::move(right_options));
  return {left_index, left_index + 1};
}

int Sf2Builder::add_instrument(std::string name, std::vector<ZoneSpec> zones) {
  instruments_.push_back({std::move(name), 0, 0, std::move(zones)});
  return static_cast<int>(instruments_.size()) - 1;
}

int Sf2Builder::add_preset(std::string name, int bank, int program, std::vector<ZoneSpec> zones) {
  presets_.push_back({std::move(name), bank, program, std::move(zones)});
  return static_cast<int>(presets_.size()) - 1;
}

namespace {

// The generator records of one zone in the order they go to the file.
std::vector<ZoneSpec::Entry> ordered_generators(const ZoneSpec& zone, Generator terminal) {
  const auto terminal_oper = static_cast<std::uint16_t>(terminal);
  const auto is = [](Generator g) { return [g](const ZoneSpec::Entry& e) { return e.oper == static_cast<std::uint16_t>(g); }; };
  std::vector<ZoneSpec::Entry> out;
  if (zone.exact_order) {
    out = zone.generators;
    if (zone.link && std::none_of(out.begin(), out.end(), is(terminal))) out.push_back({terminal_oper, *zone.link});
    return out;
  }
  std::optional<std::uint16_t> link = zone.link;
  std::copy_if(zone.generators.begin(), zone.generators.end(), std::back_inserter(out), is(Generator::keyRange));
  std::copy_if(zone.generators.begin(), zone.generators.end(), std::back_inserter(out), is(Generator::velRange));
  for (const ZoneSpec::Entry& e : zone.generators) {
    if (e.oper == static_cast<std::uint16_t>(Generator::keyRange) || e.oper == static_cast<std::uint16_t>(Generator::velRange)) continue;
    if (e.oper == terminal_oper) {
      link = e.amount;
      continue;
    }
    out.push_back(e);
  }
  if (link) out.push_back({terminal_oper, *link});
  return out;
}

struct HydraLevel {
  std::vector<std::uint8_t> bags, mods, gens;
  std::vector<std::uint16_t> first_bag;  // per owner, plus the terminal
};

template <typename OwnerList>
HydraLevel write_level(const OwnerList& owners, Generator terminal) {
  HydraLevel level;
  std::uint16_t bag = 0, gen = 0, mod = 0;
  for (const auto& owner : owners) {
    level.first_bag.push_back(bag);
    for (const ZoneSpec& z : owner.zones) {
      append_u16(level.bags, gen);
      append_u16(level.bags, mod);
      ++bag;
      for (const ZoneSpec::Entry& e : ordered_generators(z, terminal)) {
        append_u16(level.gens, e.oper);
        append_u16(level.gens, e.amount);
        ++gen;
      }
      for (const Modulator& m : z.modulators) {
        append_u16(level.mods, m.source);
        append_u16(level.mods, m.destination);
        append_u16(level.mods, static_cast<std::uint16_t>(m.amount));
        append_u16(level.mods, m.amount_source);
        append_u16(level.mods, m.transform);
        ++mod;
      }
    }
  }
  level.first_bag.push_back(bag);
  append_u16(level.bags, gen);  // terminal bag
  append_u16(level.bags, mod);
  level.gens.insert(level.gens.end(), record::gen, 0);  // terminal generator
  level.mods.insert(level.mods.end(), record::mod, 0);  // terminal modulator
  return level;
}

}  // namespace

RawBank Sf2Builder::raw() const {
  RawBank bank;

  RawList info{"INFO", {}, std::nullopt};
  RawChunk ifil{"ifil", {}, std::nullopt, true};
  append_u16(ifil.data, static_cast<std::uint16_t>(version_major_));
  append_u16(ifil.data, static_cast<std::uint16_t>(version_minor_));
  info.chunks.push_back(std::move(ifil));
  info.chunks.push_back({"isng", info_text(engine_), std::nullopt, true});
  info.chunks.push_back({"INAM", info_text(name_), std::nullopt, true});
  if (copyright_) info.chunks.push_back({"ICOP", info_text(*copyright_), std::nullopt, true});
  bank.lists.push_back(std::move(info));

  RawList sdta{"sdta", {}, std::nullopt};
  RawChunk smpl{"smpl", {}, std::nullopt, true};
  smpl.data.reserve(smpl_.size() * 2);
  for (std::int16_t point : smpl_) append_u16(smpl.data, static_cast<std::uint16_t>(point));
  sdta.chunks.push_back(std::move(smpl));
  if (has_24_bit_) {
    RawChunk sm24{"sm24", sm24_, std::nullopt, true};
    if (sm24.data.size() % 2 != 0) sm24.data.push_back(0);  // section 6: padded to an even size
    sdta.chunks.push_back(std::move(sm24));
  }
  bank.lists.push_back(std::move(sdta));

  RawList pdta{"pdta", {}, std::nullopt};
  const HydraLevel presets = write_level(presets_, Generator::instrument);
  const HydraLevel instruments = write_level(instruments_, Generator::sampleID);

  RawChunk phdr{"phdr", {}, std::nullopt, true};
  for (std::size_t i = 0; i <= presets_.size(); ++i) {
    const bool terminal = i == presets_.size();
    append_name(phdr.data, terminal ? "EOP" : presets_[i].name, 20);
    append_u16(phdr.data, terminal ? 0 : static_cast<std::uint16_t>(presets_[i].program));
    append_u16(phdr.data, terminal ? 0 : static_cast<std::uint16_t>(presets_[i].bank));
    append_u16(phdr.data, presets.first_bag[i]);
    append_u32(phdr.data, 0);  // dwLibrary
    append_u32(phdr.data, 0);  // dwGenre
    append_u32(phdr.data, 0);  // dwMorphology
  }
  RawChunk inst{"inst", {}, std::nullopt, true};
  for (std::size_t i = 0; i <= instruments_.size(); ++i) {
    const bool terminal = i == instruments_.size();
    append_name(inst.data, terminal ? "EOI" : instruments_[i].name, 20);
    append_u16(inst.data, instruments.first_bag[i]);
  }
  RawChunk shdr{"shdr", {}, std::nullopt, true};
  for (const SampleRecord& s : samples_) {
    append_name(shdr.data, s.name, 20);
    append_u32(shdr.data, s.start);
    append_u32(shdr.data, s.end);
    append_u32(shdr.data, s.loop_start);
    append_u32(shdr.data, s.loop_end);
    append_u32(shdr.data, s.rate);
    shdr.data.push_back(s.original_pitch);
    shdr.data.push_back(static_cast<std::uint8_t>(s.pitch_correction));
    append_u16(shdr.data, s.link);
    append_u16(shdr.data, s.type);
  }
  append_name(shdr.data, "EOS", 20);
  shdr.data.insert(shdr.data.end(), record::shdr - 20, 0);

  pdta.chunks.push_back(std::move(phdr));
  pdta.chunks.push_back({"pbag", presets.bags, std::nullopt, true});
  pdta.chunks.push_back({"pmod", presets.mods, std::nullopt, true});
  pdta.chunks.push_back({"pgen", presets.gens, std::nullopt, true});
  pdta.chunks.push_back(std::move(inst));
  pdta.chunks.push_back({"ibag", instruments.bags, std::nullopt, true});
  pdta.chunks.push_back({"imod", instruments.mods, std::nullopt, true});
  pdta.chunks.push_back({"igen", instruments.gens, std::nullopt, true});
  pdta.chunks.push_back(std::move(shdr));
  bank.lists.push_back(std::move(pdta));
  return bank;
}

Expected<void> Sf2Builder::write(const std::string& path) const {
  const std::vector<std::uint8_t> data = bytes();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return Unexpected{Error{path, "", -1, "cannot write the bank"}};
  return {};
}

}  // namespace tutti::test
