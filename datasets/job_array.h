#pragma once
// Splitting one sorted input list between the independent processes of a job array (SLURM
// array tasks, Kubernetes Indexed Jobs), and into HDF5 shards. Every process computes the same
// split from the same sorted list, so N processes cover each input exactly once without talking
// to each other.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/expected.h"

namespace tutti::datasets {

struct JobShard {
  int index = 0;  // 0-based
  int count = 1;
  std::string origin = "default";  // "flags", "SLURM", "Kubernetes", "default": for messages
};

// Reads an environment variable; empty optional when unset. Tests pass their own.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvironmentLookup process_environment();

// The task's shard. Flags win; otherwise SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (or
// SLURM_ARRAY_TASK_MIN/MAX; the index counts from MIN, so --array=1-8 works), otherwise
// JOB_COMPLETION_INDEX with the count from --num-shards or TUTTI_NUM_SHARDS. Errors (usage):
// an index without a count, an index outside 0..count-1, non-numbers.
Expected<JobShard> resolve_job_shard(std::optional<int> flag_index, std::optional<int> flag_count,
                                     const EnvironmentLookup& environment);

// The half-open range [first, last) of `total` items that part `index` of `parts` gets: parts
// differ in size by at most one, in order.
struct IndexRange {
  std::size_t first = 0, last = 0;
  std::size_t size() const { return last - first; }
};
IndexRange balanced_part(std::size_t total, int index, int parts);

// HDF5 output shards over the whole sorted list: with `shard_size` > 0, consecutive runs of
// that many inputs; otherwise one shard per job-array task. `owned` lists the shards the task
// writes (shard s belongs to task s mod count).
struct ShardPlan {
  struct Shard {
    int number = 0;
    IndexRange inputs;
  };
  int shard_count = 0;  // over all tasks: the NNNNN of "shard-IIIII-of-NNNNN.h5"
  std::vector<Shard> owned;
};
ShardPlan plan_shards(std::size_t total_inputs, std::size_t shard_size, const JobShard& task);

// "shard-00003-of-00016" (5 digits, more when the count needs them).
std::string shard_stem(int number, int count);

}  // namespace tutti::datasets
