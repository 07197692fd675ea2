#pragma once
// HDF5 output: the task's inputs go into shards "shard-IIIII-of-NNNNN.h5" (one per job-array
// task, or runs of --shard-size inputs), each with its manifest "shard-IIIII-of-NNNNN.jsonl".
// Clips wait in spools until their turn, then are copied into the open shard in input order.
// Resume unit: the shard. A shard is done when its .h5 and its manifest both exist and the
// manifest has a record for each of its inputs; --resume skips done shards and renders the
// others from scratch (their temporaries, if a killed run left any, are removed). A shard is
// published (renamed) before its manifest, so a manifest never vouches for a missing shard.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datasets/hdf5_shard_writer.h"
#include "datasets/input_list.h"
#include "datasets/job_array.h"
#include "datasets/manifest.h"
#include "graph/output_stage.h"
#include "kernels/kernel_set.h"

namespace tutti::graph {

struct Hdf5StageOptions {
  std::string output;  // folder
  datasets::ShardAttributes attributes;
  const kernels::KernelSet* kernels = nullptr;
  datasets::JobShard task;
  std::size_t shard_size = 0;  // 0: one shard per task
  bool resume = false;
  // A clip's audio beyond this waits on disk instead of in memory.
  std::size_t spool_memory_bytes = 16u << 20;
};

class Hdf5ShardStage final : public OutputStage {
 public:
  static Expected<std::unique_ptr<Hdf5ShardStage>> create(const std::vector<datasets::InputFile>& inputs,
                                                          const Hdf5StageOptions& options);

  const std::vector<std::size_t>& to_render() const override { return to_render_; }
  std::size_t skipped() const override { return skipped_; }
  Expected<std::unique_ptr<ClipTarget>> open(std::size_t input_index, datasets::ManifestRecord& record) override;
  Expected<void> complete(ClipTarget& clip, datasets::ManifestRecord& record) override;
  void deliver(FileResult& result) override;
  Expected<void> finish(bool cancelled) override;

 private:
  struct OpenShard {
    datasets::ShardPlan::Shard plan;
    std::unique_ptr<datasets::Hdf5ShardWriter> writer;  // null when it could not be created
    Error failure;
    bool failed = false;
    std::vector<datasets::ManifestRecord> records;
  };

  Hdf5ShardStage(const std::vector<datasets::InputFile>& inputs, const Hdf5StageOptions& options)
      : inputs_(inputs), options_(options) {}
  Expected<void> plan();
  std::string shard_path(int number, const char* extension) const;
  void start_shard(const datasets::ShardPlan::Shard& shard);
  void store_clip(FileResult& result);
  Expected<void> close_shard();
  const datasets::ShardPlan::Shard* shard_of(std::size_t input_index) const;

  const std::vector<datasets::InputFile>& inputs_;
  Hdf5StageOptions options_;
  datasets::ShardPlan shards_;
  std::vector<std::size_t> to_render_;
  std::vector<const datasets::ShardPlan::Shard*> pending_;  // to write, in order
  std::size_t next_pending_ = 0;
  std::size_t skipped_ = 0;
  std::optional<OpenShard> open_;
  std::vector<Error> failures_;
};

}  // namespace tutti::graph
