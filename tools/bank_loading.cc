#include "tools/bank_loading.h"

#include "engine/sf2/bank.h"

namespace tutti::tools {

Expected<std::shared_ptr<const engine::synth::PreparedBank>> load_prepared_bank(const std::string& path) {
  auto bank = engine::sf2::load_bank(path);
  if (!bank) return Unexpected{bank.error()};
  return std::make_shared<const engine::synth::PreparedBank>(*bank);
}

}  // namespace tutti::tools
