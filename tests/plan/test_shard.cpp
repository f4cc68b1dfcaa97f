// Shards: --shard K/N and auto parsing (Slurm arrays, Kubernetes Indexed Jobs), and that N shards cover
// every content image exactly once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/plan/shard.h"
#include "support/fixtures.h"

namespace sinforge {
namespace {

// Sets environment variables for one test and restores a clean slate after it.
class ShardEnv : public ::testing::Test {
 protected:
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    for (const char* name : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
                             "SLURM_ARRAY_TASK_MAX", "JOB_COMPLETION_INDEX", "SINFORGE_SHARD_COUNT"}) {
      unsetenv(name);
    }
  }
  static void set(const char* name, const char* value) { setenv(name, value, 1); }
};

TEST_F(ShardEnv, ExplicitShards) {
  const ShardId s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.label(), "shard-2-of-5");
  for (const char* bad : {"5/5", "1/0", "x/2", "1", "-1/2", "1/2/3", "/2", "1/"}) {
    EXPECT_THROW(parse_shard(bad), UsageError) << bad;
  }
}

TEST_F(ShardEnv, SlurmArrayWithCount) {
  set("SLURM_ARRAY_TASK_ID", "2");
  set("SLURM_ARRAY_TASK_COUNT", "3");
  const ShardId s = parse_shard("auto");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 3u);
}

TEST_F(ShardEnv, SlurmArrayWithMinAndMaxStartingAtOne) {
  set("SLURM_ARRAY_TASK_ID", "4");
  set("SLURM_ARRAY_TASK_MIN", "1");
  set("SLURM_ARRAY_TASK_MAX", "4");
  const ShardId s = parse_shard("auto");
  EXPECT_EQ(s.index, 3u);
  EXPECT_EQ(s.count, 4u);
}

TEST_F(ShardEnv, SlurmArrayWithoutCountFails) {
  set("SLURM_ARRAY_TASK_ID", "1");
  const std::string m = testing::error_of<UsageError>([] { parse_shard("auto"); });
  EXPECT_NE(m.find("SLURM_ARRAY_TASK_COUNT"), std::string::npos) << m;
}

TEST_F(ShardEnv, KubernetesIndexedJob) {
  set("JOB_COMPLETION_INDEX", "1");
  EXPECT_THROW(parse_shard("auto"), UsageError) << "the count is required";
  set("SINFORGE_SHARD_COUNT", "4");
  ShardId s = parse_shard("auto");
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(s.count, 4u);
  s = parse_shard("auto", 2);  // --shard-count wins over the variable
  EXPECT_EQ(s.count, 2u);
  set("JOB_COMPLETION_INDEX", "7");
  EXPECT_THROW(parse_shard("auto"), UsageError) << "index beyond the count";
}

TEST_F(ShardEnv, AutoWithoutAnEngineFailsNamingBoth) {
  const std::string m = testing::error_of<UsageError>([] { parse_shard("auto"); });
  EXPECT_NE(m.find("SLURM_ARRAY_TASK_ID"), std::string::npos) << m;
  EXPECT_NE(m.find("JOB_COMPLETION_INDEX"), std::string::npos) << m;
}

TEST(Shard, ShardsCoverEveryImageExactlyOnceAndBalance) {
  std::vector<PlannedContent> planned;
  for (int i = 0; i < 3000; ++i) {
    planned.push_back({"n" + std::to_string(i % 17) + "/img_" + std::to_string(i) + ".JPEG", {}, {}, {}, {}});
  }
  std::map<std::string, int> seen;
  for (size_t k = 0; k < 3; ++k) {
    const auto mine = select_shard(planned, {k, 3});
    EXPECT_GT(mine.size(), 900u) << "shard " << k << " is unbalanced";
    EXPECT_LT(mine.size(), 1100u) << "shard " << k << " is unbalanced";
    for (const auto& p : mine) ++seen[p.relative.generic_string()];
  }
  EXPECT_EQ(seen.size(), planned.size());
  for (const auto& [path, n] : seen) EXPECT_EQ(n, 1) << path;
  // Membership depends on the path alone, not on the rest of the list.
  EXPECT_EQ(select_shard({planned[5]}, {1, 3}).size(), in_shard(planned[5].relative, {1, 3}) ? 1u : 0u);
  EXPECT_EQ(select_shard(planned, {0, 1}).size(), planned.size());
}

}  // namespace
}  // namespace sinforge
