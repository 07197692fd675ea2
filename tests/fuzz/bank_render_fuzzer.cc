// libFuzzer target: a fuzzed bank played by a fixed short song (tests/support/hostile_inputs.h):
// whatever loads must render finite audio without reading outside the sample data, whatever
// the sample headers and generators say.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/sf2/bank.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/support/hostile_inputs.h"

namespace {

using namespace tutti;

const engine::midi::Song& probe_song() {
  static const engine::midi::Song song = [] {
    auto parsed = engine::midi::parse_smf(test::hostile_probe_song().bytes(), "probe.mid");
    if (!parsed) fuzz::broken("the probe song does not parse", 0, 0);
    return std::move(parsed.value());
  }();
  return song;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bank = engine::sf2::load_bank_from_bytes(std::vector<std::uint8_t>(data, data + size), "fuzz.sf2");
  if (!bank) return 0;
  const engine::synth::PreparedBank prepared(*bank);
  fuzz::check_bank(prepared);
  engine::render::RenderOptions options;
  options.synth.sample_rate = 22050.0;
  options.synth.polyphony = 32;
  options.max_tail_seconds = 1.0;
  // Both kernel families, the scalar reference and the production SIMD backend, chosen by a
  // property of the input the fuzzer varies freely (its length) so that neither halves the speed.
  const kernels::KernelSet* kernel_set =
      kernels::kernel_set(size % 2 == 0 ? kernels::Backend::scalar : kernels::Backend::automatic);
  if (kernel_set == nullptr) kernel_set = kernels::kernel_set(kernels::Backend::scalar);
  fuzz::render_checked(prepared, probe_song(), options, *kernel_set);
  return 0;
}
