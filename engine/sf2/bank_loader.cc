// Loads a SoundFont 2 bank: the RIFF skeleton, INFO and sdta here, the pdta hydra in hydra.cc.
// Sample data is neither copied nor touched: Bank::sample_data() points into the memory map, so a
// 141 MiB bank loads in the time it takes to read its few hundred KiB of headers (only a broken,
// misaligned smpl chunk or a big-endian host forces a copy).
#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>

#include "engine/common/byte_reader.h"
#include "engine/sf2/bank.h"
#include "engine/sf2/hydra.h"
#include "engine/sf2/riff.h"

namespace tutti::engine::sf2 {

namespace {

Unexpected failure(const std::string& where, std::int64_t offset, std::string what) {
  return Unexpected{Error{"", where, offset, std::move(what)}};
}

// An INFO text field (section 5): zero-terminated within the chunk; a missing terminator is
// tolerated by reading up to the chunk end.
std::string read_text(const riff::Chunk& chunk) {
  ByteReader reader(chunk.data, chunk.data_offset);
  return *reader.fixed_string(chunk.data.size());
}

bool version_at_least(const BankInfo& info, std::uint16_t major, std::uint16_t minor) {
  return info.version_major > major || (info.version_major == major && info.version_minor >= minor);
}

}  // namespace

class BankLoader {
 public:
  static Expected<std::shared_ptr<const Bank>> from_file(const std::string& path) {
    auto mapped = MappedFile::open(path);
    if (!mapped) return Unexpected{mapped.error()};
    auto bank = std::make_shared<Bank>();
    bank->path_ = path;
    bank->file_ = std::move(mapped.value());
    if (auto ok = BankLoader(*bank, bank->file_.bytes()).load(); !ok) return Unexpected{ok.error()};
    return std::shared_ptr<const Bank>(std::move(bank));
  }

  static Expected<std::shared_ptr<const Bank>> from_bytes(std::vector<std::uint8_t> bytes, const std::string& name) {
    auto bank = std::make_shared<Bank>();
    bank->path_ = name;
    bank->owned_file_ = std::move(bytes);
    if (auto ok = BankLoader(*bank, bank->owned_file_).load(); !ok) return Unexpected{ok.error()};
    return std::shared_ptr<const Bank>(std::move(bank));
  }

 private:
  BankLoader(Bank& bank, std::span<const std::uint8_t> file) : bank_(bank), file_(file) {}

  Expected<void> load() {
    auto result = load_parts();
    if (!result) {
      Error error = result.error();
      error.file = bank_.path_;
      return Unexpected{std::move(error)};
    }
    return {};
  }

  void warn(std::string text) { bank_.warnings_.push_back(std::move(text)); }

  Expected<void> load_parts() {
    auto form = riff::read_form(file_);
    if (!form) return Unexpected{form.error()};
    if (std::string_view(form->chunk.list_type.data(), 4) != "sfbk") {
      return failure("RIFF", 8, "form type '" + riff::printable(form->chunk.list_type) + "' is not 'sfbk'");
    }
    if (form->trailing_bytes > 0) {
      warn("RIFF: " + std::to_string(form->trailing_bytes) + " bytes after the RIFF form are ignored");
    }
    auto chunks = riff::read_chunks(form->chunk.data, form->chunk.data_offset, "");
    if (!chunks) return Unexpected{chunks.error()};

    // Section 4 orders the lists INFO, sdta, pdta; we find them by type, so order does not matter.
    const riff::Chunk* info = nullptr;
    const riff::Chunk* sdta = nullptr;
    const riff::Chunk* pdta = nullptr;
    for (const riff::Chunk& chunk : *chunks) {
      const riff::Chunk** slot = chunk.is_list("INFO")   ? &info
                                 : chunk.is_list("sdta") ? &sdta
                                 : chunk.is_list("pdta") ? &pdta
                                                         : nullptr;
      const std::string label = chunk.is("LIST") ? "LIST '" + riff::printable(chunk.list_type) + "'"
                                                 : "chunk '" + riff::printable(chunk.id) + "'";
      if (slot == nullptr) {
        warn("sfbk: unknown " + label + " at byte " + std::to_string(chunk.header_offset) + " is ignored");
      } else if (*slot != nullptr) {
        warn("sfbk: a second " + label + " at byte " + std::to_string(chunk.header_offset) + " is ignored");
      } else {
        *slot = &chunk;
      }
    }
    for (const auto& [list, name] : {std::pair{info, "INFO"}, std::pair{sdta, "sdta"}, std::pair{pdta, "pdta"}}) {
      if (list == nullptr) {
        return failure("sfbk", form->chunk.data_offset, std::string("the LIST '") + name + "' chunk is missing");
      }
    }

    if (auto ok = read_info(*info); !ok) return ok;
    std::size_t sample_points = 0;
    if (auto ok = read_sdta(*sdta, sample_points); !ok) return ok;
    auto hydra = detail::read_hydra(*pdta, sample_points, bank_.warnings_);
    if (!hydra) return Unexpected{hydra.error()};
    bank_.presets_ = std::move(hydra->presets);
    bank_.instruments_ = std::move(hydra->instruments);
    bank_.samples_ = std::move(hydra->samples);
    build_preset_index();
    return {};
  }

  Expected<void> read_info(const riff::Chunk& info) {
    auto chunks = riff::read_chunks(info.data, info.data_offset, "INFO");
    if (!chunks) return Unexpected{chunks.error()};
    bool have_version = false;
    std::int64_t version_offset = info.header_offset;
    bool have_name = false;
    bank_.info_.engine = "EMU8000";  // section 5.2: the value to assume when isng is absent
    for (const riff::Chunk& chunk : *chunks) {
      if (chunk.is("ifil")) {
        // Section 5.1: a missing ifil, or one of a size other than 4, is structurally unsound.
        if (chunk.data.size() != 4) {
          return failure("INFO/ifil", chunk.header_offset,
                         "size " + std::to_string(chunk.data.size()) + " is not 4");
        }
        ByteReader reader(chunk.data, chunk.data_offset);
        bank_.info_.version_major = *reader.u16_le();
        bank_.info_.version_minor = *reader.u16_le();
        have_version = true;
        version_offset = chunk.header_offset;
      } else if (chunk.is("isng")) {
        bank_.info_.engine = read_text(chunk);
      } else if (chunk.is("INAM")) {
        bank_.info_.name = read_text(chunk);
        have_name = true;
      } else if (chunk.is("ICOP")) {
        bank_.info_.copyright = read_text(chunk);
      }
      // Other INFO chunks (irom, iver, ICRD, IENG, IPRD, ICMT, ISFT, unknown) carry nothing a
      // renderer needs and are skipped.
    }
    if (!have_version) return failure("INFO", info.header_offset, "the mandatory 'ifil' sub-chunk is missing");
    const std::string version =
        std::to_string(bank_.info_.version_major) + "." + std::to_string(bank_.info_.version_minor);
    if (bank_.info_.version_major < 2) {
      return failure("INFO/ifil", version_offset, "version " + version + " is not SoundFont 2");
    }
    if (bank_.info_.version_major == 3) {
      return failure("INFO/ifil", version_offset,
                     "version " + version + " is SoundFont 3 (compressed samples), which tutti does not read");
    }
    if (bank_.info_.version_major > 3) {
      return failure("INFO/ifil", version_offset, "version " + version + " is newer than SoundFont 2");
    }
    if (!have_name) warn("INFO: the mandatory 'INAM' sub-chunk is missing");
    return {};
  }

  Expected<void> read_sdta(const riff::Chunk& sdta, std::size_t& sample_points) {
    auto chunks = riff::read_chunks(sdta.data, sdta.data_offset, "sdta");
    if (!chunks) return Unexpected{chunks.error()};
    const riff::Chunk* smpl = nullptr;
    const riff::Chunk* sm24 = nullptr;
    for (const riff::Chunk& chunk : *chunks) {
      if (chunk.is("smpl") && smpl == nullptr) {
        smpl = &chunk;
      } else if (chunk.is("sm24") && sm24 == nullptr) {
        sm24 = &chunk;
      } else {
        warn("sdta: chunk '" + riff::printable(chunk.id) + "' at byte " + std::to_string(chunk.header_offset) +
             " is ignored");
      }
    }
    if (smpl == nullptr) return failure("sdta", sdta.header_offset, "the 'smpl' sub-chunk is missing");

    sample_points = smpl->data.size() / 2;
    if (smpl->data.size() % 2 != 0) {
      warn("sdta/smpl: odd size " + std::to_string(smpl->data.size()) + "; the last byte is ignored");
    }
    map_sample_data(*smpl, sample_points);

    if (sm24 != nullptr) {
      // Section 6: sm24 holds one low byte per smpl point, padded to an even size, and is only
      // meaningful from version 2.04 on. Anything else is ignored, as FluidSynth ignores it.
      const std::size_t expected_size = sample_points + sample_points % 2;
      const std::string at = " at byte " + std::to_string(sm24->header_offset);
      if (!version_at_least(bank_.info_, 2, 4)) {
        warn("sdta/sm24" + at + ": ignored, the file's version " + std::to_string(bank_.info_.version_major) + "." +
             std::to_string(bank_.info_.version_minor) + " is older than 2.04");
      } else if (sm24->data.size() != expected_size) {
        warn("sdta/sm24" + at + ": ignored, its size " + std::to_string(sm24->data.size()) + " is not the " +
             std::to_string(expected_size) + " that smpl requires");
      } else {
        bank_.sample_data_24_ = sm24->data.first(sample_points);
      }
    }
    return {};
  }

  // Points sample_data_ at smpl in place. Only an odd address (a writer that broke RIFF's 2-byte
  // alignment) or a big-endian host forces a copy.
  void map_sample_data(const riff::Chunk& smpl, std::size_t points) {
    const std::uint8_t* bytes = smpl.data.data();
    const bool aligned = reinterpret_cast<std::uintptr_t>(bytes) % alignof(std::int16_t) == 0;
    if constexpr (std::endian::native == std::endian::little) {
      if (aligned) {
        bank_.sample_data_ = std::span<const std::int16_t>(reinterpret_cast<const std::int16_t*>(bytes), points);
        return;
      }
    }
    if (!aligned) {
      warn("sdta/smpl: sample data at odd byte offset " + std::to_string(smpl.data_offset) +
           " (a chunk before it lacks its pad byte); copied to aligned memory");
    }
    bank_.owned_sample_data_.resize(points);
    for (std::size_t i = 0; i < points; ++i) {
      bank_.owned_sample_data_[i] = static_cast<std::int16_t>(bytes[2 * i] | bytes[2 * i + 1] << 8);
    }
    bank_.sample_data_ = bank_.owned_sample_data_;
  }

  void build_preset_index() {
    auto& index = bank_.preset_index_;
    index.reserve(bank_.presets_.size());
    for (std::size_t i = 0; i < bank_.presets_.size(); ++i) {
      const Preset& p = bank_.presets_[i];
      index.push_back({static_cast<std::uint32_t>(p.bank) << 16 | p.program, static_cast<std::uint32_t>(i)});
    }
    std::stable_sort(index.begin(), index.end(),
                     [](const Bank::PresetKey& a, const Bank::PresetKey& b) { return a.bank_program < b.bank_program; });
    for (std::size_t i = 1; i < index.size(); ++i) {
      if (index[i].bank_program == index[i - 1].bank_program) {
        const Preset& kept = bank_.presets_[index[i - 1].preset_index];
        const Preset& hidden = bank_.presets_[index[i].preset_index];
        warn("pdta/phdr: preset '" + hidden.name + "' has the same bank:program " + std::to_string(hidden.bank) + ":" +
             std::to_string(hidden.program) + " as '" + kept.name + "' earlier in the file; the first one is used");
      }
    }
  }

  Bank& bank_;
  std::span<const std::uint8_t> file_;
};

Expected<std::shared_ptr<const Bank>> load_bank(const std::string& path) { return BankLoader::from_file(path); }

Expected<std::shared_ptr<const Bank>> load_bank_from_bytes(std::vector<std::uint8_t> bytes, const std::string& name) {
  return BankLoader::from_bytes(std::move(bytes), name);
}

}  // namespace tutti::engine::sf2
