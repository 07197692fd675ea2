#pragma once
// Rendering the same MIDI file with FluidSynth (the reference, through its command line as
// users run it) and with tutti (in process), for the parity tests.
#include <memory>
#include <string>

#include "engine/common/expected.h"
#include "engine/render/song_renderer.h"
#include "engine/synth/prepared_bank.h"
#include "tools/analysis/audio_buffer.h"

namespace tutti::parity {

// Paths fixed at configure time: the bank, the Debian corpus folder (fetched by the
// parity_fetch_corpus fixture) and a scratch folder in the build tree.
std::string reference_bank_path();
std::string corpus_directory();
std::string scratch_directory();

// FluidR3_GM prepared once per test binary.
const engine::synth::PreparedBank& reference_bank();

// `fluidsynth -ni -F ... -r 44100 -o synth.reverb.active=0 -o synth.chorus.active=0`, with HOME
// pointed at an empty folder so no user configuration changes the render.
// `extra_options` are more `-o name=value` settings (e.g. a polyphony limit).
Expected<analysis::AudioBuffer> render_with_fluidsynth(const std::string& midi_path,
                                                      const std::string& wav_path,
                                                      const std::string& bank_path = reference_bank_path(),
                                                      const std::string& extra_options = "");
Expected<analysis::AudioBuffer> render_with_tutti(const std::string& midi_path);
Expected<analysis::AudioBuffer> render_with_tutti(const std::string& midi_path,
                                                 const engine::synth::PreparedBank& bank,
                                                 const engine::render::RenderOptions& options);

}  // namespace tutti::parity
