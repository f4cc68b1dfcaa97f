// --pairs from the outside: a run's manifest fed back gives the same files and bytes; a hand-written map is
// honoured exactly (the listed pairs, each as a run pairing every content with every painting writes it,
// and nothing for unlisted contents; k in the webdataset samples); unknown paths, a missing file and
// --num-styles with it fail before any work; a rerun with another map into the same --out is refused; the
// run's summary names the map as what fixed the pairing.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "sinforge/output/tar_file.h"
#include "sinforge/records/records.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

using Pair = testing::ManifestPair;  // content, painting, output
using testing::manifest_pairs;

class PairsCli : public ::testing::Test {
 protected:
  static testing::CommandResult sinforge(const std::string& args) {
    return testing::run_shell(quote(testing::cli()) + " " + args + " --log-level warn");
  }
  // A small, quick recipe over the samples (5 photos, 4 paintings).
  static std::string run_args(const fs::path& content, const fs::path& out) {
    return "run --content " + quote(content) + " --styles " + quote(testing::samples_dir() / "styles") +
           " --out " + quote(out) + " --content-size 32 --style-size 32 --format png" +
           testing::demo_weights().flags();
  }
  static fs::path samples() { return testing::samples_dir() / "content"; }
  TempDir tmp_;
};

TEST_F(PairsCli, AManifestFedBackGivesTheSameOutputs) {
  for (const int styles : {1, 2}) {
    const fs::path first = tmp_ / ("first" + std::to_string(styles));
    const fs::path again = tmp_ / ("again" + std::to_string(styles));
    auto run = sinforge(run_args(samples(), first) + " --seed 3 --num-styles " + std::to_string(styles));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    // Another seed: the map, not the seed, decides.
    run =
        sinforge(run_args(samples(), again) + " --seed 11 --pairs " + quote(manifest_path(first, ShardId{})));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto expected = testing::output_bytes_below(first);
    ASSERT_EQ(expected.size(), 5u * styles);
    EXPECT_EQ(testing::output_bytes_below(again), expected) << styles << " styles";
    EXPECT_EQ(manifest_pairs(again), manifest_pairs(first)) << styles << " styles";
    // The summary says what fixed the pairing: the map (as the settings file records it), not the seed.
    const auto summary = [](const fs::path& out) {
      return nlohmann::json::parse(testing::read_bytes(summary_path(out, ShardId{})))["settings"];
    };
    EXPECT_EQ(summary(first)["pairing"], "seed");
    EXPECT_FALSE(summary(first).contains("pairs"));
    const nlohmann::json recorded =
        nlohmann::json::parse(testing::read_bytes(again / "sinforge.settings.json"));
    EXPECT_EQ(summary(again)["pairing"], "pairs");
    EXPECT_EQ(summary(again)["pairs"]["file"], manifest_path(first, ShardId{}).string());
    EXPECT_EQ(summary(again)["pairs"]["digest"], recorded["pairs"]);
  }
}

TEST_F(PairsCli, AHandWrittenMapIsHonouredExactly) {
  // Every content with every painting: the names and bytes of each possible pair.
  const fs::path all = tmp_ / "all";
  auto run = sinforge(run_args(samples(), all) + " --num-styles 4");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto every = testing::output_bytes_below(all);
  ASSERT_EQ(every.size(), 20u);

  const fs::path pairs = tmp_ / "pairs.csv";
  testing::write_bytes(pairs,
                       "camera.jpg,hubble.jpg,1\ncamera.jpg,brick_ochre.jpg,0\n"
                       "\"coffee.jpg\",grass_green.jpg");  // quoted, and no final newline
  const fs::path out = tmp_ / "listed";
  run = sinforge(run_args(samples(), out) + " --pairs " + quote(pairs));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::vector<std::string> names = {"camera-stylized-brick_ochre.png", "camera-stylized-hubble.png",
                                          "coffee-stylized-grass_green.png"};
  const auto written = testing::output_bytes_below(out);
  ASSERT_EQ(testing::output_files_below(out), names) << "the listed pairs, and nothing for unlisted contents";
  for (const std::string& name : names) EXPECT_EQ(written.at(name), every.at(name)) << name;
  EXPECT_EQ(manifest_pairs(out), (std::set<Pair>{{"camera.jpg", "brick_ochre.jpg", names[0]},
                                                 {"camera.jpg", "hubble.jpg", names[1]},
                                                 {"coffee.jpg", "grass_green.jpg", names[2]}}));

  // A rerun resumes (nothing to do); another map into the same --out is refused, naming it.
  run = sinforge(run_args(samples(), out) + " --pairs " + quote(pairs));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(testing::output_bytes_below(out), written);
  testing::write_bytes(tmp_ / "other.csv", "camera.jpg,hubble.jpg\n");
  run = sinforge(run_args(samples(), out) + " --pairs " + quote(tmp_ / "other.csv"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("pairs (recorded"), std::string::npos) << run.output;
}

TEST_F(PairsCli, WebDatasetSamplesCarryTheListedK) {
  const fs::path content = tmp_ / "content";
  fs::create_directories(content / "photos");
  fs::copy_file(samples() / "camera.jpg", content / "photos" / "camera.jpg");
  fs::copy_file(samples() / "rocket.jpg", content / "photos" / "rocket.jpg");
  testing::write_bytes(
      tmp_ / "pairs.csv",
      "content,painting,k\nphotos/camera.jpg,hubble.jpg,0\nphotos/camera.jpg,gravel_violet.jpg,1\n");
  const fs::path out = tmp_ / "wds";
  const auto run =
      sinforge(run_args(content, out) + " --output-layout webdataset --pairs " + quote(tmp_ / "pairs.csv"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::map<std::string, int> k_of;  // painting -> k
  for (const auto& e : fs::directory_iterator(out)) {
    if (e.path().extension() != ".tar") continue;
    read_tar(
        e.path(), [](const std::string& n) { return n.ends_with(".json"); },
        [&](const std::string& name, const std::string& data) {
          if (!name.ends_with(".json")) return;  // other members come without their data
          const nlohmann::json j = nlohmann::json::parse(data);
          EXPECT_EQ(j["content"], "photos/camera.jpg");
          k_of[j["painting"].get<std::string>()] = j["k"].get<int>();
        });
  }
  EXPECT_EQ(k_of, (std::map<std::string, int>{{"hubble.jpg", 0}, {"gravel_violet.jpg", 1}}));
}

TEST_F(PairsCli, UnknownPathsAndBadCombinationsFailBeforeAnyWork) {
  const fs::path out = tmp_ / "out";
  const std::map<std::string, std::string> cases = {
      {"camera.jpg,hubble.jpg\nmissing.jpg,hubble.jpg\n",
       "names 1 content image not found in --content (the first: 'missing.jpg')"},
      {"camera.jpg,no_such_painting.jpg\n",
       "names 1 painting not found in --styles (the first: 'no_such_painting.jpg')"},
      {"camera.jpg,hubble.jpg,first\n", "row 1: k must be a whole number"},
  };
  for (const auto& [text, message] : cases) {
    testing::write_bytes(tmp_ / "pairs.csv", text);
    const auto run = sinforge(run_args(samples(), out) + " --pairs " + quote(tmp_ / "pairs.csv"));
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find(message), std::string::npos) << run.output;
    EXPECT_FALSE(fs::exists(out)) << "nothing written: " << text;
  }
  auto run = sinforge(run_args(samples(), out) + " --pairs " + quote(tmp_ / "absent.csv"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("absent.csv: no such file"), std::string::npos) << run.output;
  testing::write_bytes(tmp_ / "pairs.csv", "camera.jpg,hubble.jpg\n");
  run = sinforge(run_args(samples(), out) + " --num-styles 2 --pairs " + quote(tmp_ / "pairs.csv"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--num-styles cannot be given with it"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace sinforge
