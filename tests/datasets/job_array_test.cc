#include "datasets/job_array.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace tutti::datasets {
namespace {

EnvironmentLookup environment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

TEST(JobArray, FlagsWinOverTheEnvironment) {
  auto shard = resolve_job_shard(1, 3, environment({{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_COUNT", "9"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 1);
  EXPECT_EQ(shard->count, 3);
}

TEST(JobArray, SlurmIndexCountsFromTheArrayMinimum) {
  auto shard = resolve_job_shard(std::nullopt, std::nullopt,
                                 environment({{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                                              {"SLURM_ARRAY_TASK_MAX", "8"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 4);
  EXPECT_EQ(shard->count, 8);
  shard = resolve_job_shard(std::nullopt, std::nullopt,
                            environment({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 0);
  EXPECT_EQ(shard->count, 4);
}

TEST(JobArray, KubernetesIndexNeedsACount) {
  EXPECT_FALSE(resolve_job_shard(std::nullopt, std::nullopt, environment({{"JOB_COMPLETION_INDEX", "2"}})));
  auto shard = resolve_job_shard(std::nullopt, 5, environment({{"JOB_COMPLETION_INDEX", "2"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->index, 2);
  EXPECT_EQ(shard->count, 5);
}

TEST(JobArray, BadValuesAreUsageErrors) {
  EXPECT_FALSE(resolve_job_shard(4, 4, environment({})));
  EXPECT_FALSE(resolve_job_shard(0, std::nullopt, environment({})));
  EXPECT_FALSE(resolve_job_shard(std::nullopt, std::nullopt,
                                 environment({{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})));
  EXPECT_FALSE(resolve_job_shard(std::nullopt, std::nullopt, environment({{"SLURM_ARRAY_TASK_ID", "1"}})));
  auto none = resolve_job_shard(std::nullopt, std::nullopt, environment({}));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->count, 1);
}

TEST(JobArray, PartsCoverEveryInputOnceAndDifferByAtMostOne) {
  for (std::size_t total : {0u, 1u, 7u, 100u, 101u}) {
    for (int parts : {1, 2, 3, 8, 150}) {
      std::size_t covered = 0, smallest = total, largest = 0, next = 0;
      for (int i = 0; i < parts; ++i) {
        const IndexRange range = balanced_part(total, i, parts);
        EXPECT_EQ(range.first, next);
        next = range.last;
        covered += range.size();
        smallest = std::min(smallest, range.size());
        largest = std::max(largest, range.size());
      }
      EXPECT_EQ(covered, total);
      EXPECT_EQ(next, total);
      EXPECT_LE(largest - smallest, 1u);
    }
  }
}

TEST(JobArray, ShardsOfFixedSizeAreDealtRoundRobinAndCoverEverything) {
  std::set<int> numbers;
  std::size_t inputs = 0;
  for (int task = 0; task < 3; ++task) {
    const ShardPlan plan = plan_shards(23, 5, JobShard{task, 3});
    EXPECT_EQ(plan.shard_count, 5);
    for (const auto& shard : plan.owned) {
      EXPECT_EQ(shard.number % 3, task);
      EXPECT_TRUE(numbers.insert(shard.number).second);
      inputs += shard.inputs.size();
    }
  }
  EXPECT_EQ(numbers.size(), 5u);
  EXPECT_EQ(inputs, 23u);
  EXPECT_EQ(shard_stem(3, 16), "shard-00003-of-00016");
}

}  // namespace
}  // namespace tutti::datasets
