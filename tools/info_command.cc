// `tutti info`: what is in a bank or a MIDI file, or which kernels this binary and CPU use.
#include <cstdio>
#include <string>

#include "datasets/input_list.h"
#include "engine/midi/smf_reader.h"
#include "engine/midi/song_summary.h"
#include "engine/sf2/bank.h"
#include "kernels/kernel_set.h"
#include "tools/commands.h"

namespace tutti::tools {

namespace {

int describe_bank(const std::string& path) {
  auto bank = engine::sf2::load_bank(path);
  if (!bank) {
    std::fprintf(stderr, "%s\n", bank.error().message().c_str());
    return kExitFailed;
  }
  const auto& b = **bank;
  std::printf("%s: SoundFont %u.%02u \"%s\", %zu presets, %zu instruments, %zu samples, %s\n",
              path.c_str(), b.info().version_major, b.info().version_minor, b.info().name.c_str(),
              b.presets().size(), b.instruments().size(), b.samples().size(),
              b.sample_data_24().empty() ? "16-bit" : "24-bit");
  std::printf("%5s %7s  %-24s %s\n", "bank", "program", "name", "zones");
  for (const auto& preset : b.presets()) {
    std::printf("%5u %7u  %-24s %zu\n", preset.bank, preset.program, preset.name.c_str(),
                preset.zones.size());
  }
  for (const std::string& warning : b.warnings()) std::printf("warning: %s\n", warning.c_str());
  return kExitOk;
}

int describe_song(const std::string& path) {
  auto song = engine::midi::read_smf(path);
  if (!song) {
    std::fprintf(stderr, "%s\n", song.error().message().c_str());
    return kExitFailed;
  }
  std::fputs(engine::midi::to_text(engine::midi::summarize(*song)).c_str(), stdout);
  return kExitOk;
}

// Every backend and SIMD target compiled into this binary, which of them this CPU runs, and the
// kernel set each --kernels choice renders with here (the name manifests record).
int describe_kernels() {
  for (const std::string& backend : kernels::compiled_backends()) std::printf("compiled: %s\n", backend.c_str());
  const auto describe = [](const char* option, kernels::Backend backend) {
    for (kernels::Arithmetic arithmetic : {kernels::Arithmetic::fastest, kernels::Arithmetic::portable}) {
      const kernels::KernelSet* set = kernels::kernel_set(backend, arithmetic);
      std::printf("--kernels %s%s: %s\n", option, arithmetic == kernels::Arithmetic::portable ? " --portable" : "",
                  set != nullptr ? set->name.c_str() : "not built into this binary");
    }
  };
  describe("auto", kernels::Backend::automatic);
  describe("hwy", kernels::Backend::hwy);
  describe("xsimd", kernels::Backend::xsimd);
  describe("scalar", kernels::Backend::scalar);
  std::printf("chosen: %s\n", kernels::kernel_set(kernels::Backend::automatic)->name.c_str());
  return kExitOk;
}

}  // namespace

Command add_info_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto show_kernels = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("info", "Describe a SoundFont bank or a MIDI file");
  command->add_option("file", *path, "A .sf2 bank or a MIDI file");
  command->add_flag("--kernels", *show_kernels, "List the compiled kernel backends and the one chosen here");
  return {command, [path, show_kernels] {
            if (*show_kernels) return describe_kernels();
            if (path->empty()) {
              std::fprintf(stderr, "tutti info: name a .sf2 or MIDI file, or pass --kernels\n");
              return kExitUsage;
            }
            return datasets::has_midi_extension(*path) ? describe_song(*path) : describe_bank(*path);
          }};
}

}  // namespace tutti::tools
