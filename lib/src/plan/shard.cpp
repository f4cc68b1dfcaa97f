#include "sinforge/plan/shard.h"

#include <cstdlib>
#include <stdexcept>

#include "sinforge/core/error.h"
#include "sinforge/plan/pairing.h"

namespace sinforge {

namespace {

// A salt of its own, so shard membership is independent of the painting choice for the same path.
constexpr uint64_t kShardSalt = 0x5348415244ULL;  // "SHARD"

size_t parse_count(const std::string& text, const std::string& what) {
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || text.front() == '-') {
    throw UsageError(what + " must be a non-negative integer, got '" + text + "'");
  }
  return static_cast<size_t>(value);
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

ShardId checked(ShardId s, const std::string& source) {
  if (s.count < 1) throw UsageError(source + ": the shard count must be at least 1");
  if (s.index >= s.count) {
    throw UsageError(source + ": shard index " + std::to_string(s.index) + " is not below the count " +
                     std::to_string(s.count));
  }
  return s;
}

ShardId from_slurm(const std::string& id_text) {
  const size_t id = parse_count(id_text, "SLURM_ARRAY_TASK_ID");
  const auto min = env("SLURM_ARRAY_TASK_MIN"), max = env("SLURM_ARRAY_TASK_MAX");
  const size_t first = min ? parse_count(*min, "SLURM_ARRAY_TASK_MIN") : 0;
  if (id < first) throw UsageError("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
  size_t count = 0;
  if (const auto c = env("SLURM_ARRAY_TASK_COUNT")) {
    count = parse_count(*c, "SLURM_ARRAY_TASK_COUNT");
  } else if (min && max) {
    count = parse_count(*max, "SLURM_ARRAY_TASK_MAX") - first + 1;
  } else {
    throw UsageError(
        "--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor "
        "SLURM_ARRAY_TASK_MIN/MAX");
  }
  return checked({id - first, count}, "--shard auto (Slurm array)");
}

}  // namespace

std::string ShardId::label() const {
  return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

ShardId shard_from_environment(std::optional<size_t> count_flag) {
  if (const auto id = env("SLURM_ARRAY_TASK_ID")) return from_slurm(*id);
  if (const auto index = env("JOB_COMPLETION_INDEX")) {
    size_t count = 0;
    if (count_flag) {
      count = *count_flag;
    } else if (const auto c = env("SINFORGE_SHARD_COUNT")) {
      count = parse_count(*c, "SINFORGE_SHARD_COUNT");
    } else {
      throw UsageError(
          "--shard auto: JOB_COMPLETION_INDEX is set but the shard count is not: give --shard-count N or "
          "SINFORGE_SHARD_COUNT (the Indexed Job's completions)");
    }
    return checked({parse_count(*index, "JOB_COMPLETION_INDEX"), count}, "--shard auto (Indexed Job)");
  }
  throw UsageError(
      "--shard auto: neither a Slurm array task (SLURM_ARRAY_TASK_ID) nor a Kubernetes Indexed Job "
      "(JOB_COMPLETION_INDEX) is set; give --shard K/N");
}

ShardId parse_shard(const std::string& spec, std::optional<size_t> count_flag) {
  if (spec == "auto") return shard_from_environment(count_flag);
  const size_t slash = spec.find('/');
  if (slash == std::string::npos) throw UsageError("--shard must be K/N or auto, got '" + spec + "'");
  const ShardId s{parse_count(spec.substr(0, slash), "--shard K"),
                  parse_count(spec.substr(slash + 1), "--shard N")};
  return checked(s, "--shard " + spec);
}

bool in_shard(const std::filesystem::path& content_relative, const ShardId& shard) {
  return shard.count <= 1 ||
         stable_hash(content_relative.generic_string(), kShardSalt) % shard.count == shard.index;
}

std::vector<PlannedContent> select_shard(std::vector<PlannedContent> planned, const ShardId& shard) {
  std::vector<PlannedContent> mine;
  for (PlannedContent& p : planned) {
    if (in_shard(p.relative, shard)) mine.push_back(std::move(p));
  }
  return mine;
}

}  // namespace sinforge
