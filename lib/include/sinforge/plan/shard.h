// Splitting one run over several processes (machines, GPUs, array tasks) that share one output folder.
//
// A content image belongs to shard stable_hash(relative path) mod N: its shard depends only on its own
// path, never on what else is in the folder, so adding images or rescanning never moves an image between
// shards, and N shards cover every image exactly once. Pairing depends only on seed + path + k
// (pairing.h), so a sharded run writes exactly the files of a single run.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sinforge/plan/output_plan.h"

namespace sinforge {

// Which part of a sharded run this process does; one process is shard 0 of 1.
struct ShardId {
  size_t index = 0;
  size_t count = 1;
  std::string label() const;  // "shard-0-of-1"
};

// --shard K/N (0 <= K < N), or "auto": the index and count from the environment (shard_from_environment).
// count_flag is --shard-count, used with a Kubernetes Indexed Job. Throws UsageError naming the problem.
ShardId parse_shard(const std::string& spec, std::optional<size_t> count_flag = std::nullopt);

// From a Slurm job array: SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT, or with SLURM_ARRAY_TASK_MIN
// and SLURM_ARRAY_TASK_MAX (index = ID - MIN). From a Kubernetes Indexed Job: JOB_COMPLETION_INDEX, with
// the count from count_flag or SINFORGE_SHARD_COUNT. Throws UsageError when neither is set.
ShardId shard_from_environment(std::optional<size_t> count_flag);

// Whether a content image (relative to --content) belongs to a shard.
bool in_shard(const std::filesystem::path& content_relative, const ShardId& shard);

// The planned contents that belong to a shard, in plan order.
std::vector<PlannedContent> select_shard(std::vector<PlannedContent> planned, const ShardId& shard);

}  // namespace sinforge
