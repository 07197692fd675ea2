#include "tests/parity/parity_support.h"

#include <cstdlib>
#include <filesystem>

#include "engine/midi/smf_reader.h"
#include "engine/render/song_renderer.h"
#include "engine/sf2/bank.h"
#include "kernels/kernel_set.h"
#include "tools/analysis/audio_file.h"

namespace tutti::parity {

std::string reference_bank_path() { return TUTTI_PARITY_BANK; }
std::string corpus_directory() { return TUTTI_PARITY_CORPUS; }
std::string scratch_directory() {
  const std::string path = TUTTI_PARITY_SCRATCH;
  std::filesystem::create_directories(path + "/home");
  return path;
}

const engine::synth::PreparedBank& reference_bank() {
  static const std::shared_ptr<const engine::synth::PreparedBank> bank = [] {
    auto loaded = engine::sf2::load_bank(reference_bank_path());
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().message().c_str());
      std::abort();
    }
    return std::make_shared<const engine::synth::PreparedBank>(*loaded);
  }();
  return *bank;
}

Expected<analysis::AudioBuffer> render_with_fluidsynth(const std::string& midi_path,
                                                      const std::string& wav_path,
                                                      const std::string& bank_path,
                                                      const std::string& extra_options) {
  const std::string command = "HOME='" + scratch_directory() + "/home' timeout 600 fluidsynth -ni -F '" +
                              wav_path + "' -r 44100 -o synth.reverb.active=0 -o synth.chorus.active=0 " +
                              extra_options + " '" + bank_path + "' '" + midi_path + "' > /dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    return Unexpected{Error{midi_path, "", -1, "fluidsynth failed: " + command}};
  }
  return analysis::read_audio_file(wav_path);
}

Expected<analysis::AudioBuffer> render_with_tutti(const std::string& midi_path) {
  return render_with_tutti(midi_path, reference_bank(), engine::render::RenderOptions{});
}

Expected<analysis::AudioBuffer> render_with_tutti(const std::string& midi_path,
                                                 const engine::synth::PreparedBank& bank,
                                                 const engine::render::RenderOptions& options) {
  auto song = engine::midi::read_smf(midi_path);
  if (!song) return Unexpected{song.error()};
  engine::render::SongRenderer renderer(bank, options,
                                        *kernels::kernel_set(kernels::Backend::automatic));
  analysis::AudioBuffer audio;
  audio.sample_rate = 44100;
  audio.channels = 2;
  auto rendered = renderer.render(*song, [&](const float* left, const float* right, std::size_t frames) {
    for (std::size_t i = 0; i < frames; ++i) {
      audio.interleaved.push_back(left[i]);
      audio.interleaved.push_back(right[i]);
    }
    return Expected<void>{};
  });
  if (!rendered) return Unexpected{rendered.error()};
  return audio;
}

}  // namespace tutti::parity
