#include "graph/audio_file_stage.h"

#include <filesystem>
#include <map>

#include "datasets/atomic_file.h"
#include "datasets/output_paths.h"
#include "datasets/sha256.h"

namespace tutti::graph {

namespace fs = std::filesystem;

namespace {

class AudioFileClip final : public ClipTarget {
 public:
  explicit AudioFileClip(std::unique_ptr<datasets::AudioWriter> writer) : writer_(std::move(writer)) {}
  Expected<void> write(const float* left, const float* right, std::size_t frames) override {
    return writer_->write(left, right, frames);
  }
  datasets::AudioWriter& writer() { return *writer_; }

 private:
  std::unique_ptr<datasets::AudioWriter> writer_;
};

std::string relative_to(const std::string& path, const std::string& folder) {
  return fs::path(path).lexically_relative(folder).generic_string();
}

}  // namespace

std::string manifest_name(const datasets::JobShard& task) {
  if (task.count == 1) return "manifest.jsonl";
  return "manifest" + datasets::shard_stem(task.index, task.count).substr(5) + ".jsonl";
}

Expected<std::unique_ptr<AudioFileStage>> AudioFileStage::create(const std::vector<datasets::InputFile>& inputs,
                                                                 const AudioFileStageOptions& options) {
  std::unique_ptr<AudioFileStage> stage(new AudioFileStage(inputs, options));
  auto planned = stage->plan();
  if (!planned) return Unexpected{planned.error()};
  return stage;
}

Expected<void> AudioFileStage::plan() {
  const std::string extension(datasets::extension(options_.format.container));
  // Output names over the whole sorted list, so every task of a job array agrees on which
  // input keeps a name two inputs would share (the first in order).
  std::set<std::string> taken;
  outputs_.reserve(inputs_.size());
  for (const datasets::InputFile& input : inputs_) {
    if (options_.output_is_file) {
      outputs_.emplace_back(options_.output);
      continue;
    }
    auto path = datasets::output_path_below(options_.output, input.relative, extension);
    if (path && !taken.insert(*path).second) {
      path = Unexpected{Error{input.path, "", -1, "output " + *path + " is already written by another input"}};
    }
    outputs_.push_back(std::move(path));
  }
  const datasets::IndexRange range = datasets::balanced_part(inputs_.size(), options_.task.index, options_.task.count);
  if (options_.output_is_file) {
    for (std::size_t i = range.first; i < range.last; ++i) to_render_.push_back(i);
    return {};
  }

  std::error_code error;
  fs::create_directories(options_.output, error);
  if (error) return Unexpected{Error{options_.output, "", -1, "cannot create output folder: " + error.message()}};
  const std::string manifest_path = (fs::path(options_.output) / manifest_name(options_.task)).string();

  std::vector<datasets::ManifestRecord> kept;
  if (options_.resume) {
    auto previous = datasets::read_manifest(manifest_path);
    if (!previous) return Unexpected{previous.error()};
    std::set<std::string> owned;
    for (std::size_t i = range.first; i < range.last; ++i) {
      if (outputs_[i]) owned.insert(*outputs_[i]);
    }
    datasets::remove_stale_temporaries(options_.output,
                                       [&](const std::string& path) { return owned.count(path) > 0; });
    for (std::size_t i = range.first; i < range.last; ++i) {
      const auto found = previous->find(inputs_[i].relative);
      bool done = found != previous->end() && found->second.ok && outputs_[i] &&
                  found->second.output == relative_to(*outputs_[i], options_.output) && fs::exists(*outputs_[i]);
      if (done) {
        auto hash = datasets::sha256_file(inputs_[i].path);
        done = hash && *hash == found->second.sha256;
      }
      if (done) {
        kept.push_back(found->second);
        ++skipped_;
      } else {
        to_render_.push_back(i);
      }
    }
  } else {
    for (std::size_t i = range.first; i < range.last; ++i) to_render_.push_back(i);
  }
  return manifest_.start(manifest_path, kept);
}

Expected<std::unique_ptr<ClipTarget>> AudioFileStage::open(std::size_t input_index, datasets::ManifestRecord& record) {
  const auto& output = outputs_.at(input_index);
  if (!output) return Unexpected{output.error()};
  record.output = options_.output_is_file ? *output : relative_to(*output, options_.output);
  record.has_clipping_count = options_.format.sample != datasets::SampleFormat::f32;
  if (options_.output_is_file) {
    // The user named this file on the command line: its folders are theirs to ask for, links
    // included (unlike names derived from input paths, which must stay below the folder).
    const fs::path parent = fs::path(*output).parent_path();
    std::error_code error;
    if (!parent.empty()) fs::create_directories(parent, error);
    if (error) return Unexpected{Error{parent.string(), "", -1, "cannot create output folder: " + error.message()}};
  } else {
    auto folders = datasets::create_parent_folders(options_.output, *output);
    if (!folders) return Unexpected{folders.error()};
  }
  auto writer = datasets::AudioWriter::create(*output, options_.format, *options_.kernels);
  if (!writer) return Unexpected{writer.error()};
  return std::unique_ptr<ClipTarget>(new AudioFileClip(std::move(*writer)));
}

Expected<void> AudioFileStage::complete(ClipTarget& clip, datasets::ManifestRecord& record) {
  auto& writer = static_cast<AudioFileClip&>(clip).writer();
  record.clipped_samples = writer.clipped_samples();
  return writer.commit();
}

void AudioFileStage::deliver(FileResult& result) {
  result.clip.reset();
  if (result.cancelled || options_.output_is_file || manifest_failed_) return;
  auto appended = manifest_.append(result.record);
  if (!appended) {
    manifest_failed_ = true;
    manifest_error_ = appended.error();
  }
}

Expected<void> AudioFileStage::finish(bool) {
  auto closed = manifest_.close();
  if (manifest_failed_) return Unexpected{manifest_error_};
  return closed;
}

}  // namespace tutti::graph
