#pragma once
// Loading a bank for a command: the bank file and the engine's prepared view of it.
#include <memory>
#include <string>

#include "engine/common/expected.h"
#include "engine/synth/prepared_bank.h"

namespace tutti::tools {

inline constexpr const char* kDefaultBank = "/usr/share/sounds/sf2/default-GM.sf2";

Expected<std::shared_ptr<const engine::synth::PreparedBank>> load_prepared_bank(const std::string& path);

}  // namespace tutti::tools
