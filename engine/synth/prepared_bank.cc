#include "engine/synth/prepared_bank.h"

#include <algorithm>
#include <cstdlib>

namespace tutti::engine::synth {

namespace {

// phdr stores bank and program as 16-bit words; keeping all 16 bits of each stops a preset
// numbered 256 (seen in fuzzed banks) from answering program 0 in place of the real one.
std::uint32_t key(int bank, int program) {
  return (static_cast<std::uint32_t>(bank & 0xffff) << 16) |
         static_cast<std::uint32_t>(program & 0xffff);
}

// Local generators over global ones. keyRange, velRange, instrument and sampleID are kept in
// the Zone itself, not in its generator list.
// At preset level the instrument-only generators (sample offsets, keynum, velocity,
// sampleModes, exclusiveClass, overridingRootKey) are ignored (SF2 2.04 section 8.5).
ZoneGenerators merge_generators(const sf2::Zone* global, const sf2::Zone& local,
                                bool preset_level) {
  ZoneGenerators merged;
  auto apply = [&merged, preset_level](const sf2::Zone& zone) {
    for (const sf2::GeneratorValue& g : zone.generators) {
      if (preset_level && !sf2::info(g.type).valid_in_preset) continue;
      const auto index = static_cast<std::size_t>(sf2::index_of(g.type));
      double value = g.amount;
      // FluidSynth scales SoundFont attenuation by 0.4 (the EMU hardware's effective
      // centibel), at both levels; modulator amounts are not scaled. Values pass through single
      // precision on their way into a voice.
      if (g.type == sf2::Generator::initialAttenuation) value *= static_cast<double>(0.4f);
      merged.value[index] = static_cast<double>(static_cast<float>(value));
      merged.set.set(index);
    }
  };
  if (global != nullptr) apply(*global);
  apply(local);
  return merged;
}

// A zone's usable modulators; of two identical ones in the same zone the later is kept.
std::vector<VoiceModulator> zone_modulators(const sf2::Zone& zone) {
  std::vector<VoiceModulator> list;
  for (const sf2::Modulator& record : zone.modulators) {
    VoiceModulator modulator;
    if (!from_file(record, modulator)) continue;
    std::erase_if(list, [&](const VoiceModulator& m) { return m.same_identity(modulator); });
    list.push_back(modulator);
  }
  return list;
}

// Local modulators first, then global ones that no local modulator replaces (SF2 2.04 9.5.1).
std::vector<VoiceModulator> merge_modulators(const sf2::Zone* global, const sf2::Zone& local) {
  std::vector<VoiceModulator> merged = zone_modulators(local);
  if (global == nullptr) return merged;
  const std::size_t local_count = merged.size();
  for (const VoiceModulator& modulator : zone_modulators(*global)) {
    const auto local_end = merged.begin() + static_cast<std::ptrdiff_t>(local_count);
    if (std::none_of(merged.begin(), local_end,
                     [&](const VoiceModulator& m) { return m.same_identity(modulator); })) {
      merged.push_back(modulator);
    }
  }
  return merged;
}

sf2::KeyVelRange intersect(const sf2::KeyVelRange& a, const sf2::KeyVelRange& b) {
  return {std::max(a.key_low, b.key_low), std::min(a.key_high, b.key_high),
          std::max(a.vel_low, b.vel_low), std::min(a.vel_high, b.vel_high)};
}

}  // namespace

double PreparedSample::loop_peak() const {
  const double known = loop_peak_.value.load(std::memory_order_relaxed);
  if (known >= 0.0) return known;
  if (!playable) return 0.0;
  // The loop lies inside the sample data (prepare_samples keeps loop_end + 2 points readable).
  std::int32_t peak = 0;
  for (std::uint32_t p = region.loop_start; p < region.loop_end; ++p) {
    const std::int32_t value = data_.words[p] * 256 + (data_.low_bytes != nullptr ? data_.low_bytes[p] : 0);
    peak = std::max(peak, std::abs(value));
  }
  const double found = peak == 0 ? 1.0 : static_cast<double>(peak);
  loop_peak_.value.store(found, std::memory_order_relaxed);
  return found;
}

const SuffixBounds& PreparedSample::suffix_bounds() const {
  // An unplayable sample is never voiced; its bounds cover an empty region.
  return suffix_bounds_.get(
      [this] { return SuffixBounds(data_, playable ? region : kernels::PlaybackRegion{1, 0, 0, 0}); });
}

PreparedBank::PreparedBank(std::shared_ptr<const sf2::Bank> bank) : bank_(std::move(bank)) {
  prepare_samples();
  index_presets();
}

kernels::SampleData PreparedBank::sample_data() const {
  const auto words = bank_->sample_data();
  const auto low = bank_->sample_data_24();
  return {words.data(), low.empty() ? nullptr : low.data()};
}

void PreparedBank::prepare_samples() {
  const auto& headers = bank_->samples();
  const auto total_points = static_cast<std::uint64_t>(bank_->sample_data().size());
  const kernels::SampleData data = sample_data();
  samples_.resize(headers.size());
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const sf2::SampleHeader& h = headers[i];
    PreparedSample& s = samples_[i];
    s.header = &h;
    s.sample_rate = h.sample_rate;
    // The raw byte, as FluidSynth uses it: 255 ("unpitched") is not mapped to 60.
    s.root_key = h.original_pitch;
    s.pitch_correction_cents = h.pitch_correction;
    // The oscillator reads up to two points past the end and past the loop end; the spec's 46
    // zero points after each sample provide them. Without them the sample is not playable.
    if ((h.sample_type & sf2::kRomSample) != 0 || h.sample_rate == 0 || h.end <= h.start ||
        static_cast<std::uint64_t>(h.end) + 2 > total_points) {
      continue;
    }
    kernels::PlaybackRegion region;
    region.start = h.start;
    region.end = h.end - 1;
    region.loop_start = h.loop_start;
    region.loop_end = h.loop_end;
    // Loop sanitising as FluidSynth does at load: swap reversed points, pull points outside the
    // data back to the sample's start or end.
    if (region.loop_start > region.loop_end) std::swap(region.loop_start, region.loop_end);
    const auto max_end = static_cast<std::uint32_t>(std::min<std::uint64_t>(total_points, 0xffffffffu));
    if (region.loop_start < region.start || region.loop_start > max_end) region.loop_start = region.start;
    if (region.loop_end < region.start || region.loop_end > max_end) region.loop_end = region.end + 1;
    if (static_cast<std::uint64_t>(region.loop_end) + 2 > total_points) region.loop_end = region.end + 1;
    s.region = region;
    s.playable = true;
    s.data_ = data;
  }
}

void PreparedBank::index_presets() {
  presets_.reserve(bank_->presets().size());
  for (const sf2::Preset& preset : bank_->presets()) {
    // The first preset with a given bank and program wins, as in a linear search.
    by_bank_program_.emplace(key(preset.bank, preset.program), presets_.size());
    presets_.emplace_back(*this, preset);
  }
}

std::vector<PreparedPresetZone> PreparedBank::resolve_zones(const sf2::Preset& preset) const {
  const auto& instruments = bank_->instruments();
  std::vector<PreparedPresetZone> zones;
  const sf2::Zone* preset_global = preset.global_zone ? &*preset.global_zone : nullptr;
  // Zones are kept in reverse file order: FluidSynth starts a note's voices last zone first,
  // which decides their voice slots.
  for (auto zone_it = preset.zones.rbegin(); zone_it != preset.zones.rend(); ++zone_it) {
    const sf2::Zone& zone = *zone_it;
    if (!zone.link || *zone.link >= instruments.size()) continue;
    const sf2::Instrument& instrument = instruments[*zone.link];
    PreparedPresetZone pz;
    pz.range = zone.range;
    pz.generators = merge_generators(preset_global, zone, true);
    pz.modulators = merge_modulators(preset_global, zone);
    const sf2::Zone* inst_global = instrument.global_zone ? &*instrument.global_zone : nullptr;
    for (auto inst_it = instrument.zones.rbegin(); inst_it != instrument.zones.rend(); ++inst_it) {
      const sf2::Zone& inst_zone = *inst_it;
      if (!inst_zone.link || *inst_zone.link >= samples_.size()) continue;
      if (!samples_[*inst_zone.link].playable) continue;
      VoiceZone vz;
      vz.range = intersect(zone.range, inst_zone.range);
      vz.sample = *inst_zone.link;
      vz.generators = merge_generators(inst_global, inst_zone, false);
      vz.modulators = merge_modulators(inst_global, inst_zone);
      pz.voice_zones.push_back(std::move(vz));
    }
    zones.push_back(std::move(pz));
  }
  return zones;
}

const std::vector<PreparedPresetZone>& PreparedPreset::zones() const {
  return zones_.get([this] { return owner_->resolve_zones(*preset); });
}

const PreparedPreset* PreparedBank::find(int bank, int program) const {
  const auto it = by_bank_program_.find(key(bank, program));
  return it == by_bank_program_.end() ? nullptr : &presets_[it->second];
}

}  // namespace tutti::engine::synth
