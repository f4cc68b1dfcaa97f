// `sinforge info` as a user runs it first on a machine: exit 0, human text or one JSON object with the
// documented keys; on this machine no GPU, the kernels LibTorch's list asks for, the weights the usual lookup
// finds (through SINFORGE_WEIGHTS_DIR) with their SHA-256 as Python's hashlib computes it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sinforge/core/version.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

using testing::quote;

nlohmann::json info_json(const std::string& env) {
  const auto r = testing::run_shell(env + " " + quote(testing::cli()) + " info --json 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return nlohmann::json::parse(r.output);
}

// Python's stdout without the line end. The code goes to the shell in single quotes: it uses double quotes.
std::string python_says(const std::string& code) {
  const auto r = testing::run_shell(quote(testing::python()) + " -c " + quote(code));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::string out = r.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(InfoCli, JsonHasEveryKeyAndThisMachinesFacts) {
  testing::TempDir weights;
  std::filesystem::copy_file(testing::demo_weights().vgg, weights / "vgg_normalised.pth");
  std::filesystem::copy_file(testing::demo_weights().decoder, weights / "decoder.pth");
  const nlohmann::json j =
      info_json("SINFORGE_WEIGHTS_DIR=" + quote(weights.path()) + " SINFORGE_VGG= SINFORGE_DECODER=");
  EXPECT_EQ(j["version"], version());
  EXPECT_EQ(j["libtorch"], python_says("import torch; print(torch.__version__.split(\"+\")[0])"));
  EXPECT_TRUE(j["devices"].is_array());
  EXPECT_TRUE(j["devices"].empty()) << "this machine has no GPU";
  EXPECT_GE(j["cpu_threads"].get<int>(), 1);
  EXPECT_EQ(j["codecs"]["jpeg"]["decode"], true);
  EXPECT_EQ(j["codecs"]["png"]["encode"], true);
  ASSERT_EQ(j["weights"].size(), 2u);
  for (const auto& w : j["weights"]) {
    EXPECT_EQ(w["found_by"], "$SINFORGE_WEIGHTS_DIR") << w.dump();
    const std::string file = w["path"].get<std::string>();
    EXPECT_EQ(w["sha256"], python_says("import hashlib; print(hashlib.sha256(open(\"" + file +
                                       "\", \"rb\").read()).hexdigest())"));
  }
  EXPECT_EQ(j["weights"][0]["official"], false);
#ifdef SINFORGE_HAVE_CUDA
  // The cubins this binary holds are LibTorch's list (tests/kernels reads the objects themselves).
  std::string expected;
  for (const auto& a : j["kernel_architectures"])
    expected += (expected.empty() ? "" : " ") + a.get<std::string>();
  EXPECT_EQ(expected, python_says("import torch; print(\" \".join(sorted(set(a for a in "
                                  "torch._C._cuda_getArchFlags().split() if a.startswith(\"sm_\")), "
                                  "key=lambda a: int(a[3:]))))"));
  EXPECT_EQ(j["kernel_ptx"].size(), 1u);
#endif
}

TEST(InfoCli, TextSaysWhatIsMissingAndStillExitsZero) {
  testing::TempDir empty;
  const auto r = testing::run_shell("SINFORGE_WEIGHTS_DIR=" + quote(empty.path()) +
                                    " XDG_CACHE_HOME=" + quote(empty.path()) +
                                    " SINFORGE_VGG= SINFORGE_DECODER= " + quote(testing::cli()) + " info");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("GPUs: none visible"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("vgg_normalised.pth: not found"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("kernels built for:"), std::string::npos) << r.output;
}

TEST(InfoCli, AStrayArgumentIsAUsageError) {
  const auto r = testing::run_shell(quote(testing::cli()) + " info --no-such-flag");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
}  // namespace sinforge
