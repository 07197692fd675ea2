#pragma once
// Where the graph's rendered files go. A stage decides which inputs this run renders (its
// job-array share, minus what --resume finds done), gives each file a streaming target while
// it renders in parallel, and receives the finished files one at a time in input order to
// record them (manifest) and, for shards, to store them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datasets/manifest.h"
#include "engine/common/expected.h"

namespace tutti::graph {

// A file's audio, window by window, in order.
class ClipTarget {
 public:
  virtual ~ClipTarget() = default;
  virtual Expected<void> write(const float* left, const float* right, std::size_t frames) = 0;
};

// One rendered (or failed, or cancelled) file on its way to the stage's deliver().
struct FileResult {
  std::size_t sequence = 0;     // position in the run's list: the order of delivery
  std::size_t input_index = 0;  // in the sorted input list
  datasets::ManifestRecord record;
  std::unique_ptr<ClipTarget> clip;  // null when the file failed
  bool cancelled = false;            // stopped by cancellation: not recorded, redone on resume
};

class OutputStage {
 public:
  virtual ~OutputStage() = default;

  // Indices into the sorted input list this run renders, ascending.
  virtual const std::vector<std::size_t>& to_render() const = 0;
  // Inputs of this task that --resume found already done.
  virtual std::size_t skipped() const = 0;

  // Called concurrently for different files. Sets record.output; an error fails the file.
  virtual Expected<std::unique_ptr<ClipTarget>> open(std::size_t input_index, datasets::ManifestRecord& record) = 0;
  // Called concurrently after a file rendered and passed its checks: e.g. close and rename.
  virtual Expected<void> complete(ClipTarget& clip, datasets::ManifestRecord& record) = 0;
  // Called serially, in input order. May turn an ok record into an error (a shard write failed).
  virtual void deliver(FileResult& result) = 0;
  // After the last delivery (or a cancellation). An error here means outputs are missing.
  virtual Expected<void> finish(bool cancelled) = 0;
};

}  // namespace tutti::graph
