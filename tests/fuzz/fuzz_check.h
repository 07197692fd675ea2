#pragma once
// What the fuzz targets check beyond "no crash, no sanitizer report": the promises the parsers
// make to the engine and the renderer makes to its sink. A broken promise aborts, which
// libFuzzer records as a crash with the input that caused it.
#include <cstdio>
#include <cstdlib>

#include "engine/midi/smf_reader.h"
#include "engine/synth/prepared_bank.h"

namespace tutti::fuzz {

[[noreturn]] inline void broken(const char* what, long long a, long long b) {
  std::fprintf(stderr, "fuzz invariant broken: %s (%lld, %lld)\n", what, a, b);
  std::abort();
}

#define TUTTI_FUZZ_CHECK(condition, a, b)                                          \
  do {                                                                            \
    if (!(condition)) ::tutti::fuzz::broken(#condition, static_cast<long long>(a), \
                                            static_cast<long long>(b));            \
  } while (false)

// Song: ordered, finite, in range, within the limits it was parsed with.
void check_song(const engine::midi::Song& song, const engine::midi::SmfLimits& limits);
// An error is one line that names the input.
void check_error(const Error& error, const std::string& name, std::size_t input_size);
// Bank and PreparedBank: every index in range, every playable region readable by the kernels
// (two points past the end and past the loop end, which cubic interpolation reads).
void check_bank(const engine::synth::PreparedBank& bank);

}  // namespace tutti::fuzz

#include "engine/render/song_renderer.h"
#include "kernels/kernel_set.h"

namespace tutti::fuzz {

// Renders the song and checks the audio: every sample finite, as many frames as reported, no
// longer than the song plus the tail limit. A render error (only sinks fail) is a broken promise.
void render_checked(const engine::synth::PreparedBank& bank, const engine::midi::Song& song,
                    const engine::render::RenderOptions& options, const kernels::KernelSet& kernels);

}  // namespace tutti::fuzz
