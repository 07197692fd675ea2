#include "tests/support/hostile_inputs.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <random>
#include <utility>

namespace tutti::test {

namespace {

// ---- Seed songs -------------------------------------------------------------------------------

void controller_tour(MidiTrack& t, int channel) {
  t.control_change(0, channel, 0, 0)           // bank select MSB
      .control_change(0, channel, 32, 0)       // bank select LSB
      .program_change(0, channel, 1)
      .control_change(0, channel, 7, 110)      // volume
      .control_change(0, channel, 10, 20)      // pan
      .control_change(0, channel, 11, 90)      // expression
      .control_change(0, channel, 1, 64)       // modulation wheel
      .control_change(0, channel, 101, 0)      // RPN 0: pitch-bend range
      .control_change(0, channel, 100, 0)
      .control_change(0, channel, 6, 12)
      .control_change(0, channel, 38, 0)
      .control_change(0, channel, 99, 120)     // SF2 NRPN: generator 8 (initialFilterFc)
      .control_change(0, channel, 98, 8)
      .control_change(0, channel, 6, 70)
      .control_change(0, channel, 38, 0)
      .control_change(0, channel, 99, 120)     // SF2 NRPN: generator 0 (startAddrsOffset)
      .control_change(0, channel, 98, 0)
      .control_change(0, channel, 6, 64)
      .control_change(0, channel, 38, 3);
}

Bytes notes_song() {
  MidiBuilder b(480);
  b.track().tempo(0, 500000).track_name(0, "conductor").tempo(960, 250000).tempo(480, 700000);
  auto& t = b.track().running_status(RunningStatus::AcrossMeta);
  t.sysex(0, {0x7E, 0x7F, 0x09, 0x01});  // GM system on
  controller_tour(t, 0);
  for (int i = 0; i < 12; ++i) {
    t.note_on(30, 0, 48 + 3 * i, 40 + 7 * i).pitch_bend(10, 0, 8192 + 400 * (i - 6));
    t.note_on(50, 0, 48 + 3 * i, 0);
  }
  t.control_change(0, 0, 64, 127).note_on(10, 0, 72, 100).note_off(40, 0, 72);
  t.control_change(0, 0, 66, 127).control_change(100, 0, 64, 0).control_change(0, 0, 66, 0);
  t.channel_pressure(5, 0, 90).poly_pressure(5, 0, 60, 9).control_change(5, 0, 121, 0);
  auto& drums = b.track();
  for (int key : {35, 36, 38, 42, 44, 46, 49}) drums.note_on(20, 9, key, 100).note_off(60, 9, key);
  drums.text(0, "drums");
  auto& pad = b.track();
  pad.program_change(0, 1, 2).note_on(0, 1, 60, 100).note_on(0, 1, 64, 100);
  pad.control_change(500, 1, 123, 0);  // all notes off
  pad.program_change(0, 2, 1).note_on(10, 2, 90, 127).control_change(200, 2, 120, 0);
  return b.bytes();
}

Bytes never_released_song() {
  MidiBuilder b(96);
  auto& t = b.track();
  t.program_change(0, 0, 0).note_on(0, 0, 60, 100).note_on(10, 0, 67, 100).note_on(10, 3, 40, 90);
  t.end_of_track(96);
  return b.bytes();
}

Bytes bank_select_song() {
  MidiBuilder b(120);
  auto& t = b.track();
  t.sysex(0, {0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41});  // GS reset
  t.control_change(0, 0, 0, 8).program_change(0, 0, 0).note_on(0, 0, 62, 90).note_off(60, 0, 62);
  t.sysex(0, {0x43, 0x10, 0x4C, 0x00, 0x00, 0x7E, 0x00});  // XG reset
  t.control_change(0, 4, 0, 127).program_change(0, 4, 0).note_on(0, 4, 38, 90).note_off(60, 4, 38);
  t.sysex(0, {0x7F, 0x7F, 0x04, 0x01, 0x00, 0x40});  // master volume
  t.note_on(0, 9, 42, 100).note_on(5, 9, 46, 100).note_off(60, 9, 42);
  return b.bytes();
}

Bytes smpte_song() {
  auto b = MidiBuilder::smpte(29, 80);
  b.track()
      .sysex_packet(0, {0x43, 0x12})
      .escape(10, {0x00, 0xF7})
      .note_on(0, 1, 64, 1)
      .note_off(100, 1, 64)
      .note_on(0, 5, 70, 127)
      .note_off(200, 5, 70);
  return b.bytes();
}

Bytes format2_song() {
  MidiBuilder b(240);
  b.format(2);
  b.track().tempo(0, 400000).note_on(0, 0, 60, 80).note_off(240, 0, 60);
  b.track().note_on(0, 1, 64, 80).note_off(120, 1, 64).tempo(0, 900000);
  b.track().note_on(0, 0, 67, 80).note_off(240, 0, 67);
  return b.bytes();
}

Bytes rmid_song() {
  MidiBuilder b(480);
  b.track().program_change(0, 0, 2).note_on(0, 0, 57, 100).note_off(480, 0, 57);
  return b.rmid_bytes();
}

// ---- Seed banks -------------------------------------------------------------------------------

Sf2Builder minimal_bank() {
  Sf2Builder b;
  const int s = b.add_sample(sine_loop(2, 32), {.root_key = 60, .loop_start = 0, .loop_end = 64});
  const int i = b.add_instrument("Sine", {zone(s).gen(Generator::sampleModes, 1)});
  b.add_preset("Sine", 0, 0, {preset_zone(i)});
  return b;
}

Sf2Builder deep_bank() {
  Sf2Builder b;
  std::vector<std::int32_t> points;
  for (int i = 0; i < 96; ++i) points.push_back(((i % 32) - 16) * (1 << 18) + i);
  const int s = b.add_sample_24(points, {.root_key = 64, .loop_start = 32, .loop_end = 96});
  const int i = b.add_instrument("Deep", {zone(s).gen(Generator::sampleModes, 3).gen(Generator::releaseVolEnv, -1200)});
  b.add_preset("Deep", 0, 0, {preset_zone(i)});
  return b;
}

struct BankSeed {
  std::string name;
  Sf2Builder builder;
};

std::vector<BankSeed> bank_seeds() {
  return {{"render.sf2", hostile_render_bank()},
          {"minimal.sf2", minimal_bank()},
          {"linked.sf2", linked_bank()},
          {"deep24.sf2", deep_bank()}};
}

// ---- Mutation helpers -------------------------------------------------------------------------

using Random = std::mt19937;

std::size_t pick(Random& random, std::size_t low, std::size_t high) {
  return std::uniform_int_distribution<std::size_t>(low, high)(random);
}

template <typename T>
const T& pick_one(Random& random, const std::vector<T>& items) {
  return items[pick(random, 0, items.size() - 1)];
}

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%X", value);
  return text;
}

std::string at_byte(std::size_t offset) { return " at byte " + std::to_string(offset); }

void put_u32_be(Bytes& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}
std::uint32_t get_u32_be(const Bytes& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | bytes[at + static_cast<std::size_t>(i)];
  return value;
}

// A length or size field's corrupted value: small, off by a little, past the end, or huge.
std::uint32_t corrupt_length(Random& random, std::uint32_t old) {
  switch (pick(random, 0, 6)) {
    case 0: return 0;
    case 1: return old - 1;
    case 2: return old + 1;
    case 3: return old + static_cast<std::uint32_t>(pick(random, 2, 4096));
    case 4: return 0x7FFFFFFFu;
    case 5: return 0xFFFFFFFFu;
    default: return static_cast<std::uint32_t>(random());
  }
}

std::string flip_bits(Random& random, Bytes& bytes, std::size_t from) {
  const std::size_t flips = pick(random, 1, 8);
  for (std::size_t n = 0; n < flips; ++n) {
    bytes[pick(random, from, bytes.size() - 1)] ^= static_cast<std::uint8_t>(1u << pick(random, 0, 7));
  }
  return std::to_string(flips) + " bit flips";
}

std::string truncate(Random& random, Bytes& bytes) {
  bytes.resize(pick(random, 0, bytes.size() - 1));
  return "truncated to " + std::to_string(bytes.size()) + " bytes";
}

std::string shift_bytes(Random& random, Bytes& bytes, std::size_t from) {
  const std::size_t at = pick(random, from, bytes.size() - 1);
  const std::size_t count = pick(random, 1, 9);
  if (pick(random, 0, 1) == 0) {
    bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), count, static_cast<std::uint8_t>(random()));
    return std::to_string(count) + " bytes inserted" + at_byte(at);
  }
  const std::size_t end = std::min(bytes.size(), at + count);
  bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(end));
  return std::to_string(end - at) + " bytes deleted" + at_byte(at);
}

// ---- The layout of a well-formed SMF, for structure-aware damage -------------------------------

struct Span {
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct SmfLayout {
  std::vector<std::size_t> length_fields;  // MThd and MTrk lengths (big-endian)
  std::vector<std::size_t> riff_fields;    // RMID sizes (little-endian)
  std::size_t header = 0;                  // MThd data: format, tracks, division
  std::vector<Span> deltas;                // delta times
  std::vector<Span> lengths;               // meta, SysEx and F7 lengths
  std::vector<std::size_t> statuses;       // explicit status bytes
  std::vector<std::size_t> tempos;         // the 3 payload bytes of set-tempo events
};

std::size_t vlq_span(const Bytes& bytes, std::size_t at, std::uint32_t& value) {
  value = 0;
  std::size_t n = 0;
  while (at + n < bytes.size()) {
    const std::uint8_t b = bytes[at + n++];
    value = (value << 7) | (b & 0x7Fu);
    if ((b & 0x80u) == 0) break;
  }
  return n;
}

// Walks the events of a well-formed track; the seeds are written by MidiBuilder, so it need not
// be defensive beyond staying inside the bytes.
void walk_track(const Bytes& bytes, std::size_t begin, std::size_t end, SmfLayout& layout) {
  std::size_t at = begin;
  std::uint8_t running = 0;
  while (at < end) {
    std::uint32_t value = 0;
    const std::size_t delta = vlq_span(bytes, at, value);
    layout.deltas.push_back({at, delta});
    at += delta;
    if (at >= end) break;
    const std::uint8_t first = bytes[at];
    if (first < 0x80) {
      at += (running >> 4) == 0xC || (running >> 4) == 0xD ? 1 : 2;
      continue;
    }
    layout.statuses.push_back(at);
    ++at;
    if (first == 0xFF || first == 0xF0 || first == 0xF7) {
      const bool tempo = first == 0xFF && at < end && bytes[at] == 0x51;
      if (first == 0xFF) ++at;
      const std::size_t length = vlq_span(bytes, at, value);
      layout.lengths.push_back({at, length});
      at += length;
      if (tempo && value == 3) layout.tempos.push_back(at);
      at += value;
    } else if (first < 0xF0) {
      running = first;
      at += (first >> 4) == 0xC || (first >> 4) == 0xD ? 1 : 2;
    } else {
      at += first == 0xF2 ? 2 : (first == 0xF1 || first == 0xF3) ? 1 : 0;
    }
  }
}

SmfLayout smf_layout(const Bytes& bytes) {
  SmfLayout layout;
  std::size_t base = 0;
  if (bytes.size() >= 20 && std::memcmp(bytes.data(), "RIFF", 4) == 0) {
    layout.riff_fields = {4, 16};  // RIFF size, 'data' chunk size (MidiBuilder::rmid_bytes)
    base = 20;
  }
  layout.length_fields.push_back(base + 4);
  layout.header = base + 8;
  std::size_t at = base + 8 + get_u32_be(bytes, base + 4);
  while (at + 8 <= bytes.size()) {
    const std::size_t length = get_u32_be(bytes, at + 4);
    layout.length_fields.push_back(at + 4);
    if (std::memcmp(bytes.data() + at, "MTrk", 4) == 0) {
      walk_track(bytes, at + 8, std::min(bytes.size(), at + 8 + length), layout);
    }
    at += 8 + length;
  }
  return layout;
}

// A variable-length quantity that is long, huge or never ends: 4 bytes near 2^28, 5 bytes
// (illegal), 3 bytes at the maximum, or continuation bytes up to the end of the data.
Bytes huge_vlq(Random& random, std::string& text) {
  switch (pick(random, 0, 4)) {
    case 0:
      text = "4-byte maximum 0x0FFFFFFF";
      return {0xFF, 0xFF, 0xFF, 0x7F};
    case 1:
      text = "5-byte quantity";
      return {0x81, 0x80, 0x80, 0x80, 0x00};
    case 2:
      text = "3-byte maximum 0x1FFFFF";
      return {0xFF, 0xFF, 0x7F};
    case 3: {
      const std::uint32_t value = 0x08000000u | static_cast<std::uint32_t>(random() & 0x07FFFFFF);
      text = "4-byte " + hex(value);
      return vlq_bytes(value);
    }
    default:
      text = "unterminated (continuation bits to the end)";
      return Bytes(pick(random, 4, 12), 0x80);
  }
}

void replace(Bytes& bytes, Span span, const Bytes& with) {
  bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(span.offset),
              bytes.begin() + static_cast<std::ptrdiff_t>(span.offset + span.length));
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(span.offset), with.begin(), with.end());
}

using SongDamage = std::function<std::string(Random&, Bytes&, const SmfLayout&)>;

std::vector<std::pair<const char*, SongDamage>> song_damages() {
  return {
      {"bit flips", [](Random& r, Bytes& b, const SmfLayout&) { return flip_bits(r, b, 0); }},
      {"truncation", [](Random& r, Bytes& b, const SmfLayout&) { return truncate(r, b); }},
      {"chunk length",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         const std::size_t at = pick_one(r, l.length_fields);
         const std::uint32_t value = corrupt_length(r, get_u32_be(b, at));
         put_u32_be(b, at, value);
         return "chunk length" + at_byte(at) + " set to " + std::to_string(value);
       }},
      {"huge delta time",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         const Span span = pick_one(r, l.deltas);
         std::string text;
         replace(b, span, huge_vlq(r, text));
         return "delta time" + at_byte(span.offset) + " replaced by " + text;
       }},
      {"huge event length",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         const Span span = pick_one(r, l.lengths);
         std::string text;
         replace(b, span, huge_vlq(r, text));
         return "meta/SysEx length" + at_byte(span.offset) + " replaced by " + text;
       }},
      {"header field",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         static const std::vector<std::uint16_t> kValues = {0, 1, 2, 3, 0x7FFF, 0x8000, 0xE250, 0xE700, 0xFFFF};
         const std::size_t at = l.header + 2 * pick(r, 0, 2);  // format, tracks, division
         const std::uint16_t value = pick(r, 0, 3) == 0 ? static_cast<std::uint16_t>(r()) : pick_one(r, kValues);
         b[at] = static_cast<std::uint8_t>(value >> 8);
         b[at + 1] = static_cast<std::uint8_t>(value);
         return "header field" + at_byte(at) + " set to " + hex(value);
       }},
      {"status byte",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         const std::size_t at = pick_one(r, l.statuses);
         b[at] = static_cast<std::uint8_t>(pick(r, 0, 3) == 0 ? pick(r, 0, 0x7F) : pick(r, 0x80, 0xFF));
         return "status byte" + at_byte(at) + " set to " + hex(b[at]);
       }},
      {"tempo",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         static const std::vector<std::uint32_t> kTempos = {0, 1, 0xFFFFFF, 0x800000, 100};
         if (l.tempos.empty()) return flip_bits(r, b, 0);
         const std::size_t at = pick_one(r, l.tempos);
         const std::uint32_t tempo = pick_one(r, kTempos);
         for (int i = 0; i < 3; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(tempo >> (16 - 8 * i));
         return "tempo" + at_byte(at) + " set to " + std::to_string(tempo);
       }},
      {"RMID size",
       [](Random& r, Bytes& b, const SmfLayout& l) {
         if (l.riff_fields.empty()) return shift_bytes(r, b, 0);
         const std::size_t at = pick_one(r, l.riff_fields);
         const std::uint32_t value = corrupt_length(r, get_u32(b, at));
         put_u32(b, at, value);
         return "RIFF size" + at_byte(at) + " set to " + std::to_string(value);
       }},
      {"inserted or deleted bytes", [](Random& r, Bytes& b, const SmfLayout&) { return shift_bytes(r, b, 0); }},
      {"duplicated slice",
       [](Random& r, Bytes& b, const SmfLayout&) {
         const std::size_t from = pick(r, 0, b.size() - 1);
         const std::size_t count = std::min<std::size_t>(pick(r, 1, 64), b.size() - from);
         const Bytes slice(b.begin() + static_cast<std::ptrdiff_t>(from),
                           b.begin() + static_cast<std::ptrdiff_t>(from + count));
         const std::size_t to = pick(r, 0, b.size());
         b.insert(b.begin() + static_cast<std::ptrdiff_t>(to), slice.begin(), slice.end());
         return std::to_string(count) + " bytes from" + at_byte(from) + " copied to byte " + std::to_string(to);
       }},
      {"trailing garbage",
       [](Random& r, Bytes& b, const SmfLayout&) {
         const std::size_t count = pick(r, 1, 200);
         for (std::size_t i = 0; i < count; ++i) b.push_back(static_cast<std::uint8_t>(r()));
         return std::to_string(count) + " random bytes appended";
       }},
  };
}

// ---- The layout of a bank, for structure-aware damage ----------------------------------------

struct BankLayout {
  std::vector<std::size_t> size_fields;  // RIFF, LIST and chunk sizes (little-endian)
  std::size_t pdta = 0;                  // first byte of the pdta list
  std::vector<std::size_t> sample_headers;  // shdr records, terminal excluded
  std::vector<std::size_t> generators;      // pgen and igen records
  std::vector<std::size_t> indices;         // bag indices of phdr/inst, pbag/ibag fields
  std::size_t smpl_points = 0;
};

BankLayout bank_layout(RawBank raw) {
  BankLayout layout;
  layout.size_fields.push_back(4);
  for (const RawList& list : raw.lists) {
    layout.size_fields.push_back(static_cast<std::size_t>(raw.list_offset(list.type)) + 4);
    for (const RawChunk& chunk : list.chunks) {
      layout.size_fields.push_back(static_cast<std::size_t>(raw.header_offset(list.type, chunk.id)) + 4);
    }
  }
  layout.pdta = static_cast<std::size_t>(raw.list_offset("pdta"));
  auto records = [&raw](std::string_view id, std::size_t size, std::size_t field, bool skip_terminal) {
    std::vector<std::size_t> offsets;
    const RawChunk* chunk = raw.chunk("pdta", id);
    if (chunk == nullptr) return offsets;
    const auto data = static_cast<std::size_t>(raw.data_offset("pdta", id));
    std::size_t count = chunk->data.size() / size;
    if (skip_terminal && count > 0) --count;
    for (std::size_t i = 0; i < count; ++i) offsets.push_back(data + i * size + field);
    return offsets;
  };
  layout.sample_headers = records("shdr", record::shdr, 0, true);
  for (const char* id : {"pgen", "igen"}) {
    for (std::size_t at : records(id, record::gen, 0, false)) layout.generators.push_back(at);
  }
  for (std::size_t at : records("phdr", record::phdr, record::phdr_bag, false)) layout.indices.push_back(at);
  for (std::size_t at : records("inst", record::inst, record::inst_bag, false)) layout.indices.push_back(at);
  for (const char* id : {"pbag", "ibag"}) {
    for (std::size_t at : records(id, record::bag, 0, false)) {
      layout.indices.push_back(at);
      layout.indices.push_back(at + 2);
    }
  }
  if (const RawChunk* smpl = raw.chunk("sdta", "smpl")) layout.smpl_points = smpl->data.size() / 2;
  return layout;
}

using BankDamage = std::function<std::string(Random&, Bytes&, const BankLayout&)>;

std::vector<std::pair<const char*, BankDamage>> bank_damages() {
  return {
      {"bit flips", [](Random& r, Bytes& b, const BankLayout&) { return flip_bits(r, b, 0); }},
      {"bit flips in pdta", [](Random& r, Bytes& b, const BankLayout& l) { return flip_bits(r, b, l.pdta); }},
      {"truncation", [](Random& r, Bytes& b, const BankLayout&) { return truncate(r, b); }},
      {"size field",
       [](Random& r, Bytes& b, const BankLayout& l) {
         const std::size_t at = pick_one(r, l.size_fields);
         const std::uint32_t value = corrupt_length(r, get_u32(b, at));
         put_u32(b, at, value);
         return "size field" + at_byte(at) + " set to " + std::to_string(value);
       }},
      {"sample points",
       [](Random& r, Bytes& b, const BankLayout& l) {
         const std::size_t record_at = pick_one(r, l.sample_headers);
         static constexpr std::size_t kFields[] = {record::shdr_start, record::shdr_end, record::shdr_loop_start,
                                                   record::shdr_loop_end};
         const std::size_t at = record_at + kFields[pick(r, 0, std::size(kFields) - 1)];
         const std::uint32_t old = get_u32(b, at);
         const auto points = static_cast<std::uint32_t>(l.smpl_points);
         const std::vector<std::uint32_t> values = {0, old - 1, old + 1, points - 1, points, points + 1,
                                                    points + 1000, 0x7FFFFFFF, 0xFFFFFFFF,
                                                    get_u32(b, record_at + record::shdr_start)};
         const std::uint32_t value = pick_one(r, values);
         put_u32(b, at, value);
         return "sample point field" + at_byte(at) + " set to " + std::to_string(value);
       }},
      {"zero-length sample",
       [](Random& r, Bytes& b, const BankLayout& l) {
         const std::size_t record_at = pick_one(r, l.sample_headers);
         put_u32(b, record_at + record::shdr_end, get_u32(b, record_at + record::shdr_start) + static_cast<std::uint32_t>(pick(r, 0, 1)));
         return "sample" + at_byte(record_at) + " made 0 or 1 points long";
       }},
      {"sample rate, pitch or type",
       [](Random& r, Bytes& b, const BankLayout& l) {
         const std::size_t record_at = pick_one(r, l.sample_headers);
         switch (pick(r, 0, 3)) {
           case 0: {
             const std::uint32_t rate = pick_one(r, std::vector<std::uint32_t>{0, 1, 7, 0xFFFFFFFF, 4000000});
             put_u32(b, record_at + record::shdr_rate, rate);
             return "sample rate" + at_byte(record_at + record::shdr_rate) + " set to " + std::to_string(rate);
           }
           case 1:
             b[record_at + record::shdr_pitch] = static_cast<std::uint8_t>(pick(r, 0, 255));
             b[record_at + record::shdr_correction] = static_cast<std::uint8_t>(pick(r, 0, 255));
             return "original pitch and correction" + at_byte(record_at + record::shdr_pitch) + " randomised";
           case 2: {
             const std::uint16_t type = pick_one(r, std::vector<std::uint16_t>{0, 2, 4, 8, 0x10, 0x8001, 0xFFFF});
             put_u16(b, record_at + record::shdr_type, type);
             return "sample type" + at_byte(record_at + record::shdr_type) + " set to " + hex(type);
           }
           default: {
             const std::uint16_t link = static_cast<std::uint16_t>(pick(r, 0, 0xFFFF));
             put_u16(b, record_at + record::shdr_link, link);
             put_u16(b, record_at + record::shdr_type, 4);
             return "sample" + at_byte(record_at) + " made a left sample linked to " + std::to_string(link);
           }
         }
       }},
      {"absurd generator",
       [](Random& r, Bytes& b, const BankLayout& l) {
         const std::size_t at = pick_one(r, l.generators);
         static const std::vector<std::uint16_t> kAmounts = {0x7FFF, 0x8000, 0xFFFF, 0, 1, 12000, 0x8001};
         const std::uint16_t amount = pick_one(r, kAmounts);
         if (pick(r, 0, 2) == 0) {
           // Any generator, with the extreme amount: coarseTune 32767, sample offsets, times...
           put_u16(b, at, static_cast<std::uint16_t>(pick(r, 0, 63)));
         }
         put_u16(b, at + 2, amount);
         return "generator" + at_byte(at) + " (" + std::to_string(get_u16(b, at)) + ") amount set to " + hex(amount);
       }},
      {"hydra index",
       [](Random& r, Bytes& b, const BankLayout& l) {
         const std::size_t at = pick_one(r, l.indices);
         const std::uint16_t old = get_u16(b, at);
         const std::uint16_t value = pick_one(
             r, std::vector<std::uint16_t>{0, static_cast<std::uint16_t>(old + 1), static_cast<std::uint16_t>(old - 1),
                                           0x7FFF, 0xFFFF});
         put_u16(b, at, value);
         return "hydra index" + at_byte(at) + " set to " + std::to_string(value);
       }},
      {"inserted or deleted bytes", [](Random& r, Bytes& b, const BankLayout&) { return shift_bytes(r, b, 12); }},
  };
}

}  // namespace

Sf2Builder linked_bank() {
  Sf2Builder b;
  const int mono = b.add_sample(sine_loop(3, 16), {.root_key = 69, .loop_start = 16, .loop_end = 48});
  auto [left, right] = b.add_stereo_sample(saw_loop(2, 16), sine_loop(2, 16), {.loop_start = 0, .loop_end = 32});
  Modulator linking = modulator(cc_source(1), Generator::pan, 10);
  linking.destination = 0x8000 | 1;
  const Modulator target = modulator(general_source(GeneralController::link), Generator::initialFilterFc, 100);
  const int i0 = b.add_instrument(
      "Mono", {global_zone().gen(Generator::releaseVolEnv, 100).mod(linking).mod(target),
               zone(mono).key_range(0, 63).gen(Generator::sampleModes, 1),
               zone(mono).key_range(64, 127).vel_range(1, 90)});
  const int i1 = b.add_instrument("Stereo", {zone(left).gen(Generator::pan, -500), zone(right).gen(Generator::pan, 500)});
  b.add_preset("A", 0, 0, {global_zone().gen(Generator::initialAttenuation, 10), preset_zone(i0)});
  b.add_preset("B", 0, 1, {preset_zone(i1).mod(modulator(cc_source(7), Generator::initialAttenuation, 960))});
  b.add_preset("Kit", 128, 0, {preset_zone(i0).key_range(35, 81), preset_zone(i1)});
  return b;
}

std::vector<NamedBytes> seed_songs() {
  return {{"notes.mid", notes_song()},           {"never_released.mid", never_released_song()},
          {"bank_select.mid", bank_select_song()}, {"smpte.mid", smpte_song()},
          {"format2.mid", format2_song()},       {"rmid.rmi", rmid_song()},
          {"probe.mid", hostile_probe_song().bytes()}};
}

std::vector<NamedBytes> seed_banks() {
  std::vector<NamedBytes> banks;
  for (const BankSeed& seed : bank_seeds()) banks.push_back({seed.name, seed.builder.bytes()});
  return banks;
}

Sf2Builder hostile_render_bank() {
  Sf2Builder b;
  // Sample 0 starts at point 0 of smpl: the cubic tap before the first point is the edge case.
  const int sine = b.add_sample(sine_loop(4, 25), {.root_key = 69, .loop_start = 0, .loop_end = 100});
  const int saw = b.add_sample(saw_loop(3, 40), {.root_key = 57, .rate = 22050});
  auto [left, right] = b.add_stereo_sample(sine_loop(2, 50), saw_loop(2, 50),
                                           {.root_key = 60, .loop_start = 10, .loop_end = 90});
  std::vector<std::int32_t> deep;
  for (int i = 0; i < 80; ++i) deep.push_back(((i % 40) - 20) * (1 << 17) + 3 * i);
  const int deep24 = b.add_sample_24(deep, {.root_key = 48, .loop_start = 40, .loop_end = 80});
  const int click = b.add_sample(std::vector<float>{0.9f, -0.9f, 0.5f, -0.5f, 0.25f}, {.root_key = 60});

  Modulator linked = modulator(cc_source(1), Generator::pan, 200);
  // A link names its target by position in the zone's modulator list: link_target is third.
  linked.destination = 0x8000 | 2;
  const Modulator link_target = modulator(general_source(GeneralController::link), Generator::initialFilterFc, -2400);
  const int lead = b.add_instrument(
      "Lead", {global_zone()
                   .gen(Generator::releaseVolEnv, -2000)
                   .gen(Generator::initialFilterFc, 9000)
                   .gen(Generator::initialFilterQ, 120)
                   .mod(modulator(cc_source(1), Generator::vibLfoToPitch, 50))
                   .mod(linked)
                   .mod(link_target),
               zone(sine).key_range(0, 90).gen(Generator::sampleModes, 1).gen(Generator::modLfoToPitch, 30),
               zone(sine).key_range(91, 127).gen(Generator::sampleModes, 1).gen(Generator::coarseTune, 12)});
  const int pluck = b.add_instrument(
      "Pluck", {zone(saw)
                    .gen(Generator::startAddrsOffset, 3)
                    .gen(Generator::endAddrsOffset, -4)
                    .gen(Generator::decayVolEnv, -1200)
                    .gen(Generator::sustainVolEnv, 300)
                    .gen(Generator::releaseVolEnv, -3000)
                    .gen(Generator::modEnvToPitch, 200)});
  const int stereo = b.add_instrument(
      "Stereo", {zone(left).gen(Generator::pan, -500).gen(Generator::sampleModes, 3).gen(Generator::releaseVolEnv, -2400),
                 zone(right).gen(Generator::pan, 500).gen(Generator::sampleModes, 3).gen(Generator::releaseVolEnv, -2400)});
  const int deep_instrument = b.add_instrument(
      "Deep", {zone(deep24).gen(Generator::sampleModes, 1).gen(Generator::releaseVolEnv, -1800).gen(Generator::modLfoToVolume, 60)});
  const int drums = b.add_instrument(
      "Drums", {zone(click).key_range(35, 41).gen(Generator::exclusiveClass, 1).gen(Generator::releaseVolEnv, -4000),
                zone(saw).key_range(42, 46).gen(Generator::exclusiveClass, 2).gen(Generator::releaseVolEnv, -3000),
                zone(sine).key_range(47, 81).gen(Generator::sampleModes, 1).gen(Generator::overridingRootKey, 60)
                    .gen(Generator::releaseVolEnv, -3000)});
  b.add_preset("Lead", 0, 0, {global_zone().gen(Generator::initialAttenuation, 20), preset_zone(lead)});
  b.add_preset("Pluck", 0, 1, {preset_zone(pluck).mod(modulator(cc_source(7), Generator::initialAttenuation, 480))});
  b.add_preset("Stereo", 0, 2, {preset_zone(stereo)});
  b.add_preset("Deep", 8, 0, {preset_zone(deep_instrument)});
  b.add_preset("Kit", 128, 0, {preset_zone(drums)});
  return b;
}

MidiBuilder hostile_probe_song() {
  MidiBuilder b(480);
  auto& t = b.track();
  t.tempo(0, 500000);
  t.program_change(0, 1, 1).program_change(0, 2, 2).control_change(0, 3, 0, 8).program_change(0, 3, 0);
  t.control_change(0, 0, 1, 100).control_change(0, 0, 7, 100).control_change(0, 1, 10, 0);
  for (int i = 0; i < 8; ++i) {
    const int key = 21 + 14 * i;
    t.note_on(0, i % 4, key, 20 + 15 * i).note_on(0, 9, 35 + 3 * i, 127);
    t.pitch_bend(20, i % 4, 16383 - 2000 * i).control_change(0, 0, 64, i % 2 == 0 ? 127 : 0);
    t.note_off(40, i % 4, key).note_off(0, 9, 35 + 3 * i);
  }
  t.control_change(0, 0, 11, 30).note_on(0, 0, 60, 100).note_on(0, 2, 64, 100).note_on(60, 3, 67, 100);
  t.end_of_track(120);
  return b;
}

std::vector<Mutant> mutated_songs(std::uint32_t seed, std::size_t count) {
  const std::vector<NamedBytes> seeds = seed_songs();
  std::vector<SmfLayout> layouts;
  for (const NamedBytes& s : seeds) layouts.push_back(smf_layout(s.bytes));
  const auto damages = song_damages();
  Random random(seed);
  std::vector<Mutant> mutants;
  for (std::size_t n = 0; n < count; ++n) {
    const std::size_t which = pick(random, 0, seeds.size() - 1);
    const auto& [kind, damage] = damages[n % damages.size()];
    Mutant m;
    m.seed = seeds[which].name;
    m.bytes = seeds[which].bytes;
    m.mutation = std::string(kind) + ": " + damage(random, m.bytes, layouts[which]);
    char name[32];
    std::snprintf(name, sizeof name, "song-%03zu.mid", n);
    m.name = name;
    mutants.push_back(std::move(m));
  }
  return mutants;
}

std::vector<Mutant> mutated_banks(std::uint32_t seed, std::size_t count) {
  const std::vector<BankSeed> seeds = bank_seeds();
  std::vector<Bytes> assembled;
  std::vector<BankLayout> layouts;
  for (const BankSeed& s : seeds) {
    const RawBank raw = s.builder.raw();
    assembled.push_back(raw.assemble());
    layouts.push_back(bank_layout(raw));
  }
  const auto damages = bank_damages();
  Random random(seed);
  std::vector<Mutant> mutants;
  for (std::size_t n = 0; n < count; ++n) {
    const std::size_t which = pick(random, 0, seeds.size() - 1);
    const auto& [kind, damage] = damages[n % damages.size()];
    Mutant m;
    m.seed = seeds[which].name;
    m.bytes = assembled[which];
    m.mutation = std::string(kind) + ": " + damage(random, m.bytes, layouts[which]);
    char name[32];
    std::snprintf(name, sizeof name, "bank-%03zu.sf2", n);
    m.name = name;
    mutants.push_back(std::move(m));
  }
  return mutants;
}

}  // namespace tutti::test
