#pragma once
// Renders a list of MIDI files with one bank, one file after another, each to its own audio
// file. A file that fails is reported and the batch goes on. (The oneTBB flow graph that
// renders many files at once replaces this loop; its interface stays.)
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datasets/audio_writer.h"
#include "datasets/input_list.h"
#include "engine/render/song_renderer.h"
#include "engine/synth/prepared_bank.h"
#include "kernels/kernel_set.h"

namespace tutti::graph {

struct BatchOptions {
  engine::render::RenderOptions render;
  datasets::AudioFormat format;
  const kernels::KernelSet* kernels = nullptr;
  // Either a directory that receives <relative path>.<ext> per input, or (one input only) the
  // output file itself.
  std::string output;
  bool output_is_file = false;
};

struct FileOutcome {
  std::string source;
  std::string output;
  bool ok = false;
  std::string error;  // one line naming the file and the problem
  double audio_seconds = 0.0;
  double render_seconds = 0.0;
  std::uint64_t notes = 0;
  int peak_voices = 0;
  std::uint64_t clipped_samples = 0;
};

struct BatchSummary {
  std::size_t files = 0;
  std::size_t failed = 0;
  double audio_seconds = 0.0;
  double wall_seconds = 0.0;
  double real_time_factor() const { return wall_seconds > 0 ? audio_seconds / wall_seconds : 0.0; }
};

using FileCallback = std::function<void(const FileOutcome&)>;

BatchSummary render_batch(const engine::synth::PreparedBank& bank,
                          const std::vector<datasets::InputFile>& inputs,
                          const BatchOptions& options, const FileCallback& on_file);

// Where an input's audio goes.
std::string output_path_for(const datasets::InputFile& input, const BatchOptions& options);

}  // namespace tutti::graph
