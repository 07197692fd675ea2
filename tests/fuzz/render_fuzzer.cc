// libFuzzer target: a whole render of a fuzzed MIDI file through a tiny bank built in code
// (tests/support/hostile_inputs.h). The first input byte chooses the render settings, so the
// fuzzer explores interpolation modes, kernel backends, polyphony (voice stealing), sample rates
// and window sizes; the rest is the MIDI file.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "engine/sf2/bank.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/support/hostile_inputs.h"

namespace {

using namespace tutti;

const engine::synth::PreparedBank& render_bank() {
  static const auto bank = [] {
    auto loaded = engine::sf2::load_bank_from_bytes(test::hostile_render_bank().bytes(), "render.sf2");
    if (!loaded) fuzz::broken("the render bank does not load", 0, 0);
    return std::make_shared<const engine::synth::PreparedBank>(*loaded);
  }();
  return *bank;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t config = data[0];
  // Short songs only: render time, not parsing, bounds the fuzzer's speed.
  engine::midi::SmfLimits limits;
  limits.max_events = 20'000;
  limits.max_duration_seconds = 8.0;
  const std::string name = "fuzz.mid";
  auto song = engine::midi::parse_smf(std::span<const std::uint8_t>(data + 1, size - 1), name, limits);
  if (!song) return 0;

  static constexpr double kRates[] = {22050.0, 44100.0, 8000.0, 96000.0};
  static constexpr kernels::Interpolation kModes[] = {kernels::Interpolation::cubic, kernels::Interpolation::linear,
                                                      kernels::Interpolation::none, kernels::Interpolation::cubic};
  static constexpr int kPolyphony[] = {64, 4, 1, 256};
  engine::render::RenderOptions options;
  options.synth.sample_rate = kRates[config & 3];
  options.synth.interpolation = kModes[(config >> 2) & 3];
  options.synth.polyphony = kPolyphony[(config >> 4) & 3];
  options.window_blocks = (config & 0x40) != 0 ? 3 : 256;
  options.max_tail_seconds = 2.0;
  const kernels::KernelSet* kernel_set =
      kernels::kernel_set((config & 0x80) != 0 ? kernels::Backend::automatic : kernels::Backend::scalar);
  if (kernel_set == nullptr) kernel_set = kernels::kernel_set(kernels::Backend::scalar);
  fuzz::render_checked(render_bank(), *song, options, *kernel_set);
  return 0;
}
