#pragma once
// WAV/FLAC output: one audio file per input, mirroring its path below the output folder, and
// one manifest per job-array task ("manifest.jsonl", or "manifest-IIIII-of-NNNNN.jsonl").
// Resume unit: the file. --resume skips an input whose manifest record is ok, whose output
// exists and whose MIDI bytes still hash to the recorded SHA-256; the manifest is rewritten
// with those records, then the rest is rendered and appended.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "datasets/audio_writer.h"
#include "datasets/input_list.h"
#include "datasets/job_array.h"
#include "datasets/manifest.h"
#include "graph/output_stage.h"
#include "kernels/kernel_set.h"

namespace tutti::graph {

struct AudioFileStageOptions {
  std::string output;          // folder, or the file itself when output_is_file
  bool output_is_file = false; // one input rendered to a named file: no manifest, no resume
  datasets::AudioFormat format;
  const kernels::KernelSet* kernels = nullptr;
  datasets::JobShard task;
  bool resume = false;
};

class AudioFileStage final : public OutputStage {
 public:
  static Expected<std::unique_ptr<AudioFileStage>> create(const std::vector<datasets::InputFile>& inputs,
                                                          const AudioFileStageOptions& options);

  const std::vector<std::size_t>& to_render() const override { return to_render_; }
  std::size_t skipped() const override { return skipped_; }
  Expected<std::unique_ptr<ClipTarget>> open(std::size_t input_index, datasets::ManifestRecord& record) override;
  Expected<void> complete(ClipTarget& clip, datasets::ManifestRecord& record) override;
  void deliver(FileResult& result) override;
  Expected<void> finish(bool cancelled) override;

  const std::string& manifest_path() const { return manifest_.path(); }

 private:
  AudioFileStage(const std::vector<datasets::InputFile>& inputs, const AudioFileStageOptions& options)
      : inputs_(inputs), options_(options) {}
  Expected<void> plan();

  const std::vector<datasets::InputFile>& inputs_;
  AudioFileStageOptions options_;
  std::vector<std::size_t> to_render_;
  std::vector<Expected<std::string>> outputs_;  // per input: its output path, or why it has none
  std::size_t skipped_ = 0;
  datasets::ManifestWriter manifest_;
  Error manifest_error_;
  bool manifest_failed_ = false;
};

// "manifest.jsonl" for a single task, "manifest-00002-of-00004.jsonl" in a job array.
std::string manifest_name(const datasets::JobShard& task);

}  // namespace tutti::graph
