#include <algorithm>

#include "engine/sf2/bank.h"

namespace tutti::engine::sf2 {

const Preset* Bank::find_preset(int bank, int program) const {
  if (bank < 0 || bank > 0xffff || program < 0 || program > 0xffff) return nullptr;
  const auto key = static_cast<std::uint32_t>(bank) << 16 | static_cast<std::uint32_t>(program);
  // preset_index_ is sorted by key and, within a key, by file order: lower_bound finds the first.
  auto it = std::lower_bound(preset_index_.begin(), preset_index_.end(), key,
                             [](const PresetKey& entry, std::uint32_t k) { return entry.bank_program < k; });
  if (it == preset_index_.end() || it->bank_program != key) return nullptr;
  return &presets_[it->preset_index];
}

}  // namespace tutti::engine::sf2
