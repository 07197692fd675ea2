#include "datasets/job_array.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace tutti::datasets {

namespace {

Error usage(const std::string& what) { return Error{"", "", -1, what}; }

std::optional<long> parse_integer(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  long value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return value;
}

Expected<long> required_integer(const EnvironmentLookup& environment, const std::string& name) {
  const auto text = environment(name);
  const auto value = parse_integer(text);
  if (!value) return Unexpected{usage(name + "='" + text.value_or("") + "' is not a whole number")};
  return *value;
}

Expected<JobShard> checked(long index, long count, std::string origin) {
  if (count < 1 || count > 1'000'000) {
    return Unexpected{usage(origin + ": shard count " + std::to_string(count) + " is not in 1..1000000")};
  }
  if (index < 0 || index >= count) {
    return Unexpected{usage(origin + ": shard index " + std::to_string(index) + " is not in 0.." +
                            std::to_string(count - 1))};
  }
  return JobShard{static_cast<int>(index), static_cast<int>(count), std::move(origin)};
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Expected<JobShard> resolve_job_shard(std::optional<int> flag_index, std::optional<int> flag_count,
                                     const EnvironmentLookup& environment) {
  if (flag_index && flag_count) return checked(*flag_index, *flag_count, "--shard-index/--num-shards");
  if (flag_index) return Unexpected{usage("--shard-index needs --num-shards")};

  if (environment("SLURM_ARRAY_TASK_ID")) {
    auto id = required_integer(environment, "SLURM_ARRAY_TASK_ID");
    if (!id) return Unexpected{id.error()};
    long minimum = 0;
    if (environment("SLURM_ARRAY_TASK_MIN")) {
      auto value = required_integer(environment, "SLURM_ARRAY_TASK_MIN");
      if (!value) return Unexpected{value.error()};
      minimum = *value;
    }
    long count = 0;
    if (flag_count) {
      count = *flag_count;
    } else if (environment("SLURM_ARRAY_TASK_COUNT")) {
      auto value = required_integer(environment, "SLURM_ARRAY_TASK_COUNT");
      if (!value) return Unexpected{value.error()};
      count = *value;
    } else if (environment("SLURM_ARRAY_TASK_MAX")) {
      auto maximum = required_integer(environment, "SLURM_ARRAY_TASK_MAX");
      if (!maximum) return Unexpected{maximum.error()};
      count = *maximum - minimum + 1;
    } else {
      return Unexpected{usage("SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor "
                              "SLURM_ARRAY_TASK_MAX is; pass --num-shards")};
    }
    return checked(*id - minimum, count, "SLURM");
  }

  if (environment("JOB_COMPLETION_INDEX")) {
    auto index = required_integer(environment, "JOB_COMPLETION_INDEX");
    if (!index) return Unexpected{index.error()};
    long count = 0;
    if (flag_count) {
      count = *flag_count;
    } else if (environment("TUTTI_NUM_SHARDS")) {
      auto value = required_integer(environment, "TUTTI_NUM_SHARDS");
      if (!value) return Unexpected{value.error()};
      count = *value;
    } else {
      return Unexpected{usage("JOB_COMPLETION_INDEX is set but the number of shards is not: pass "
                              "--num-shards or set TUTTI_NUM_SHARDS to the Job's completions")};
    }
    return checked(*index, count, "Kubernetes");
  }

  if (flag_count) return checked(0, *flag_count, "--num-shards");
  return JobShard{};
}

IndexRange balanced_part(std::size_t total, int index, int parts) {
  const auto p = static_cast<std::size_t>(parts);
  const auto i = static_cast<std::size_t>(index);
  return {total * i / p, total * (i + 1) / p};
}

ShardPlan plan_shards(std::size_t total_inputs, std::size_t shard_size, const JobShard& task) {
  ShardPlan plan;
  if (shard_size == 0) {
    plan.shard_count = task.count;
    plan.owned.push_back({task.index, balanced_part(total_inputs, task.index, task.count)});
    return plan;
  }
  const std::size_t shards = std::max<std::size_t>(1, (total_inputs + shard_size - 1) / shard_size);
  plan.shard_count = static_cast<int>(shards);
  for (std::size_t s = static_cast<std::size_t>(task.index); s < shards; s += static_cast<std::size_t>(task.count)) {
    plan.owned.push_back({static_cast<int>(s), {s * shard_size, std::min(total_inputs, (s + 1) * shard_size)}});
  }
  return plan;
}

std::string shard_stem(int number, int count) {
  char text[64];
  std::snprintf(text, sizeof text, "shard-%05d-of-%05d", number, count);
  return text;
}

}  // namespace tutti::datasets
