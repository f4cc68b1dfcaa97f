// Where the weight files are looked for, and fetch.sh without a network.
#include "sinforge/weights/weights_locator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include "support/fixtures.h"
#include "weights/weights_test_data.h"

namespace {

namespace fs = std::filesystem;
using namespace sinforge::testing::weights;  // NOLINT: the helpers of weights_test_data.h
using sinforge::testing::TempDir;
using sinforge::testing::write_bytes;

// Sets (or unsets, with nullopt) an environment variable for the scope, then restores it.
class EnvGuard {
 public:
  EnvGuard(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    set(value);
  }
  ~EnvGuard() { set(old_); }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;
  void set(const std::optional<std::string>& value) {
    if (value) {
      setenv(name_, value->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  write_bytes(p, "x");
}

TEST(WeightsLocator, LookupOrder) {
  TempDir dir;
  const fs::path flag_vgg = dir / "flag/v.pth", flag_dec = dir / "flag/d.pth";
  const fs::path env_vgg = dir / "env/v.pth", env_dec = dir / "env/d.pth";
  const fs::path weights_dir = dir / "wdir", xdg = dir / "xdg", home = dir / "home";
  for (const auto& p : {flag_vgg, flag_dec, env_vgg, env_dec}) touch(p);
  for (const auto& d : {weights_dir, xdg / "sinforge/weights", home / ".cache/sinforge/weights"}) {
    touch(d / "vgg_normalised.pth");
    touch(d / "decoder.pth");
  }
  EnvGuard g1("SINFORGE_VGG", env_vgg.string()), g2("SINFORGE_DECODER", env_dec.string());
  EnvGuard g3("SINFORGE_WEIGHTS_DIR", weights_dir.string()), g4("XDG_CACHE_HOME", xdg.string());
  EnvGuard g5("HOME", home.string());

  auto paths = sinforge::locate_weights(flag_vgg, flag_dec);
  EXPECT_EQ(paths.vgg, flag_vgg);
  EXPECT_EQ(paths.decoder, flag_dec);
  paths = sinforge::locate_weights(std::nullopt, flag_dec);
  EXPECT_EQ(paths.vgg, env_vgg);
  EXPECT_EQ(paths.decoder, flag_dec);
  paths = sinforge::locate_weights(std::nullopt, std::nullopt);
  EXPECT_EQ(paths.vgg, env_vgg);
  EXPECT_EQ(paths.decoder, env_dec);
  g1.set(std::nullopt);
  paths = sinforge::locate_weights(std::nullopt, std::nullopt);
  EXPECT_EQ(paths.vgg, weights_dir / "vgg_normalised.pth");
  EXPECT_EQ(paths.decoder, env_dec);
  g2.set(std::nullopt);
  paths = sinforge::locate_weights(std::nullopt, std::nullopt);
  EXPECT_EQ(paths.decoder, weights_dir / "decoder.pth");
  g3.set(std::nullopt);
  paths = sinforge::locate_weights(std::nullopt, std::nullopt);
  EXPECT_EQ(paths.vgg, xdg / "sinforge/weights/vgg_normalised.pth");
  EXPECT_EQ(paths.decoder, xdg / "sinforge/weights/decoder.pth");
  g4.set(std::nullopt);
  paths = sinforge::locate_weights(std::nullopt, std::nullopt);
  EXPECT_EQ(paths.vgg, home / ".cache/sinforge/weights/vgg_normalised.pth");
  EXPECT_EQ(paths.decoder, home / ".cache/sinforge/weights/decoder.pth");
  // A folder with only one of the two files does not hide the other one further down the order.
  g3.set(dir.path().string());
  touch(dir / "vgg_normalised.pth");
  paths = sinforge::locate_weights(std::nullopt, std::nullopt);
  EXPECT_EQ(paths.vgg, dir / "vgg_normalised.pth");
  EXPECT_EQ(paths.decoder, home / ".cache/sinforge/weights/decoder.pth");
}

TEST(WeightsLocator, NotFoundSaysWhereItLookedAndWhatToDo) {
  TempDir dir;
  EnvGuard g1("SINFORGE_VGG", std::nullopt), g2("SINFORGE_DECODER", std::nullopt);
  EnvGuard g3("SINFORGE_WEIGHTS_DIR", (dir / "wdir").string()), g4("XDG_CACHE_HOME", (dir / "xdg").string());
  EnvGuard g5("HOME", (dir / "home").string());
  touch(dir / "wdir/vgg_normalised.pth");
  const auto locate_defaults = [] { sinforge::locate_weights(std::nullopt, std::nullopt); };
  const std::string m = sinforge::testing::error_of<sinforge::UsageError>(locate_defaults);
  EXPECT_TRUE(contains(m, "cannot find decoder.pth")) << m;
  EXPECT_FALSE(contains(m, "cannot find vgg_normalised.pth")) << m;
  EXPECT_TRUE(contains(m, "--decoder")) << m;
  EXPECT_TRUE(contains(m, "$SINFORGE_DECODER")) << m;
  EXPECT_TRUE(contains(m, (dir / "wdir/decoder.pth").string())) << m;
  EXPECT_TRUE(contains(m, (dir / "xdg/sinforge/weights/decoder.pth").string())) << m;
  EXPECT_TRUE(contains(m, "weights/fetch.sh")) << m;
  EXPECT_TRUE(contains(m, "SINFORGE_WEIGHTS_DIR")) << m;
  EXPECT_THROW(sinforge::locate_weights(dir / "missing_vgg.pth", dir / "wdir/vgg_normalised.pth"),
               sinforge::UsageError);
  EnvGuard g6("SINFORGE_DECODER", (dir / "missing_dec.pth").string());
  const std::string missing = sinforge::testing::error_of<sinforge::UsageError>(locate_defaults);
  EXPECT_TRUE(contains(missing, "missing_dec.pth: no such file")) << missing;
}

TEST(WeightsFetch, FailsQuicklyAndClearlyWhenOffline) {
  TempDir dir;
  const std::string env =
      "https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 all_proxy= ALL_PROXY= "
      "SINFORGE_WEIGHTS_DIR=" +
      sinforge::testing::quote(dir / "w") + " ";
  const auto start = std::chrono::steady_clock::now();
  const auto result = sinforge::testing::run_shell(
      env + "bash " + sinforge::testing::quote(sinforge::testing::source_dir() / "weights" / "fetch.sh"));
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "could not download https://github.com/naoto0804/pytorch-AdaIN/releases/"
                       "download/v0.0.0/vgg_normalised.pth"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "SINFORGE_WEIGHTS_DIR")) << result.output;
  EXPECT_LT(seconds, 60);
  EXPECT_FALSE(fs::exists(dir / "w" / "vgg_normalised.pth"));
  EXPECT_FALSE(fs::exists(dir / "w" / ".vgg_normalised.pth.part"));
}

}  // namespace
