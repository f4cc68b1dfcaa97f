// Presets (configs/*.yaml): the built-in files give the published recipes, bad files fail naming the key,
// and the sin224 style recipe equals Pillow's crop + Lanczos byte for byte.
#include <gtest/gtest.h>

#include <fstream>

#include <opencv2/imgproc.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/resize.h"
#include "sinforge/pipeline/preset.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::TempDir;

RunOptions preset(const std::string& name) {
  RunOptions o;
  apply_preset(resolve_preset(name), o);
  return o;
}

TEST(Preset, Sin224IsThePapersRecipe) {
  const RunOptions o = preset("sin224");
  EXPECT_EQ(o.content, (ContentRecipe{256, 224, 0}));
  EXPECT_EQ(o.style, (StyleRecipe{224, StyleCrop::kSquare, ResampleFilter::kLanczos, 224}));
  EXPECT_EQ(o.output.encoding.format, ImageFormat::kPng);
  EXPECT_EQ(o.num_styles, 1u);
  EXPECT_EQ(o.alpha, 1.f);
}

TEST(Preset, Sin64ShrinksTheSin224Result) {
  const RunOptions o = preset("sin64");
  EXPECT_EQ(o.content, (ContentRecipe{256, 224, 64}));
  EXPECT_EQ(o.style, preset("sin224").style);
  EXPECT_EQ(o.output.encoding.format, ImageFormat::kPng);
}

TEST(Preset, FullIsStylizeDatasetsDefaults) {
  RunOptions o;
  o.output.encoding.format = ImageFormat::kPng;  // something for the preset to overwrite
  o.style.size = 7;
  apply_preset(resolve_preset("full"), o);
  EXPECT_EQ(o.content, (ContentRecipe{0, 0, 0}));
  EXPECT_EQ(o.style, (StyleRecipe{512, StyleCrop::kNone, ResampleFilter::kBilinear, 0}));
  EXPECT_EQ(o.output.encoding.format, ImageFormat::kJpeg);
}

TEST(Preset, AFilePathWorksAndUnknownNamesAreRefused) {
  TempDir tmp;
  std::ofstream(tmp / "mine.yaml") << "style-size: 300\nextensions: [jpg, PNG]\nseed: 12\n";
  const RunOptions o = preset((tmp / "mine.yaml").string());
  EXPECT_EQ(o.style.size, 300);
  EXPECT_EQ(o.seed, 12u);
  EXPECT_EQ(o.extensions, (std::vector<std::string>{"jpg", "png"}));
  EXPECT_EQ(o.content.size, RunOptions{}.content.size) << "keys the file does not name keep their value";
  const std::string unknown = testing::error_of<UsageError>([] { resolve_preset("sin999"); });
  EXPECT_NE(unknown.find("sin999"), std::string::npos) << unknown;
  EXPECT_THROW(resolve_preset((tmp / "missing.yaml").string()), UsageError);
}

struct BadPreset {
  std::string text;
  std::string key;  // the error must name it
};

TEST(Preset, UnknownKeysAndBadValuesFailNamingFileAndKey) {
  TempDir tmp;
  const std::vector<BadPreset> cases = {
      {"style-sise: 224\n", "style-sise"},
      {"content-size: -1\n", "content-size"},
      {"crop: big\n", "crop"},
      {"style-crop: round\n", "style-crop"},
      {"style-filter: nearest\n", "style-filter"},
      {"alpha: 1.5\n", "alpha"},
      {"format: gif\n", "format"},
      {"num-styles: 0\n", "num-styles"},
      {"quality: 101\n", "quality"},
      {"png_level: 13\n", "png_level"},
      {"style-size: [1, 2]\n", "style-size"},
      {"crop: 224\noutput_size: 64\n", "output_size"},
      // Found by fuzz_preset: an empty list was refused in --extensions' words, naming neither file nor key.
      {"extensions: \"\"\n", "extensions"},
      {"extensions: ., .\n", "extensions"},
  };
  for (const BadPreset& c : cases) {
    const fs::path file = tmp / "bad.yaml";
    std::ofstream(file) << c.text;
    RunOptions o;
    const RunOptions before = o;
    const std::string message = testing::error_of<UsageError>([&] { apply_preset(file, o); });
    ASSERT_FALSE(message.empty()) << "accepted: " << c.text;
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("'" + c.key + "'"), std::string::npos) << message;
    EXPECT_EQ(o.content.crop, before.content.crop) << "a bad preset must change nothing: " << c.text;
  }
  // Found by fuzz_preset: keys that are no names threw yaml-cpp's conversion error instead of UsageError.
  for (const std::string text : {"? : content-size\n", "[1, 2]: 3\n", "{a: b}: 3\n"}) {
    std::ofstream(tmp / "key.yaml") << text;
    RunOptions o;
    EXPECT_THROW(apply_preset(tmp / "key.yaml", o), UsageError) << text;
  }
  std::ofstream(tmp / "list.yaml") << "- 1\n- 2\n";
  RunOptions o;
  EXPECT_THROW(apply_preset(tmp / "list.yaml", o), UsageError) << "a list is no mapping of keys";
}

// A noisy image, so that every filter tap matters.
cv::Mat noise_image(int w, int h, int seed) {
  cv::Mat m(h, w, CV_8UC3);
  cv::RNG rng(seed);
  rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  cv::Mat smooth;
  cv::GaussianBlur(m, smooth, cv::Size(0, 0), 2.0);
  return (m + smooth) * 0.5;  // texture and structure
}

TEST(Preset, Sin224StyleRecipeEqualsPillow) {
  TempDir tmp;
  const StyleRecipe recipe = preset("sin224").style;
  // Landscape and portrait, odd and even margins (51 -> round(25.5) = 26: half to even), a square, and a
  // painting exactly at the minimum.
  const std::vector<std::pair<int, int>> sizes = {{301, 250}, {250, 301}, {640, 427}, {500, 500}, {224, 300}};
  for (size_t i = 0; i < sizes.size(); ++i) {
    const auto [w, h] = sizes[i];
    const fs::path in = tmp / ("in" + std::to_string(i) + ".png");
    const fs::path out = tmp / ("out" + std::to_string(i) + ".png");
    const auto bytes = encode_image(noise_image(w, h, static_cast<int>(i)), ImageFormat::kPng);
    write_file_atomic(in, bytes);
    const auto r = testing::run_reference("sin224_style.py", quote(in) + " " + quote(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const cv::Mat actual = prepare_style(read_image(in), recipe);
    const cv::Mat expected = read_image(out);
    ASSERT_EQ(actual.size(), cv::Size(224, 224));
    ASSERT_EQ(expected.size(), cv::Size(224, 224));
    EXPECT_EQ(cv::norm(actual, expected, cv::NORM_INF), 0) << w << "x" << h;
  }
}

TEST(Preset, MinSizeAndOutputShrink) {
  const StyleRecipe recipe = preset("sin224").style;
  EXPECT_TRUE(below_min_size_reason(cv::Mat(300, 224, CV_8UC3), recipe).empty());
  const std::string why = below_min_size_reason(cv::Mat(300, 223, CV_8UC3), recipe);
  EXPECT_NE(why.find("223x300"), std::string::npos) << why;
  EXPECT_NE(why.find("224"), std::string::npos) << why;
  // sin64's last step equals Pillow's resize((64, 64), BOX) (area averaging) on the 224x224 result.
  TempDir tmp;
  const cv::Mat big = noise_image(224, 224, 5);
  write_file_atomic(tmp / "big.png", encode_image(big, ImageFormat::kPng));
  std::ofstream(tmp / "jobs.txt") << (tmp / "big.png").string() << " " << (tmp / "small.png").string()
                                  << " 64 64 box\n";
  const auto r = testing::run_reference("pillow_resize.py", quote(tmp / "jobs.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const cv::Mat small = finish_output(big, preset("sin64").content);
  EXPECT_EQ(small.size(), cv::Size(64, 64));
  EXPECT_EQ(cv::norm(small, read_image(tmp / "small.png"), cv::NORM_INF), 0);
  EXPECT_EQ(finish_output(big, preset("sin224").content).data, big.data) << "no shrink: no copy";
}

}  // namespace
}  // namespace sinforge
