#include "graph/batch_render.h"

#include <filesystem>
#include <set>
#include <system_error>

#include "engine/midi/smf_reader.h"

namespace tutti::graph {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string output_path_for(const datasets::InputFile& input, const BatchOptions& options) {
  if (options.output_is_file) return options.output;
  fs::path relative(input.relative);
  relative.replace_extension(std::string(datasets::extension(options.format.container)));
  return (fs::path(options.output) / relative).string();
}

namespace {

FileOutcome render_one(const engine::synth::PreparedBank& bank, const datasets::InputFile& input,
                       const std::string& output, const BatchOptions& options) {
  FileOutcome outcome;
  outcome.source = input.path;
  outcome.output = output;
  const auto started = Clock::now();

  auto song = engine::midi::read_smf(input.path);
  if (!song) {
    outcome.error = song.error().message();
    return outcome;
  }
  std::error_code error;
  fs::create_directories(fs::path(output).parent_path(), error);
  if (error) {
    outcome.error = output + ": cannot create output folder: " + error.message();
    return outcome;
  }
  auto writer = datasets::AudioWriter::create(output, options.format, *options.kernels);
  if (!writer) {
    outcome.error = writer.error().message();
    return outcome;
  }
  engine::render::SongRenderer renderer(bank, options.render, *options.kernels);
  auto rendered = renderer.render(*song, [&](const float* left, const float* right, std::size_t frames) {
    return (*writer)->write(left, right, frames);
  });
  if (!rendered) {
    outcome.error = rendered.error().message();
    return outcome;
  }
  if (rendered->statistics.notes_started > 0 && rendered->peak == 0.0) {
    outcome.error = input.path + ": render is silent although the song plays notes";
    return outcome;
  }
  auto committed = (*writer)->commit();
  if (!committed) {
    outcome.error = committed.error().message();
    return outcome;
  }
  outcome.ok = true;
  outcome.audio_seconds = rendered->seconds;
  outcome.notes = rendered->statistics.notes_started;
  outcome.peak_voices = rendered->statistics.peak_voices;
  outcome.clipped_samples = (*writer)->clipped_samples();
  outcome.render_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

}  // namespace

BatchSummary render_batch(const engine::synth::PreparedBank& bank,
                          const std::vector<datasets::InputFile>& inputs,
                          const BatchOptions& options, const FileCallback& on_file) {
  BatchSummary summary;
  const auto started = Clock::now();
  std::set<std::string> outputs_taken;
  for (const datasets::InputFile& input : inputs) {
    const std::string output = output_path_for(input, options);
    FileOutcome outcome;
    if (!outputs_taken.insert(output).second) {
      outcome.source = input.path;
      outcome.output = output;
      outcome.error = input.path + ": output " + output + " is already written by another input";
    } else {
      outcome = render_one(bank, input, output, options);
    }
    ++summary.files;
    if (outcome.ok) summary.audio_seconds += outcome.audio_seconds;
    else ++summary.failed;
    if (on_file) on_file(outcome);
  }
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace tutti::graph
