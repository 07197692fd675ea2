// libFuzzer target: the SoundFont 2 loader and the engine's preparation of a bank, on arbitrary
// bytes. A bank that loads must give the renderer only regions it can read and indices in range;
// one that does not must fail with a one-line error naming the input.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/sf2/bank.h"
#include "engine/synth/prepared_bank.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tutti;
  const std::string name = "fuzz.sf2";
  auto bank = engine::sf2::load_bank_from_bytes(std::vector<std::uint8_t>(data, data + size), name);
  if (!bank) {
    fuzz::check_error(bank.error(), name, size);
    return 0;
  }
  const engine::synth::PreparedBank prepared(*bank);
  fuzz::check_bank(prepared);
  return 0;
}
