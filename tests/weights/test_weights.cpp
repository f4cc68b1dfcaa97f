// The network's weights from their files: both formats, the layer table's checks, swapped files, digests.
#include "sinforge/weights/weights.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weights/weights_test_data.h"

namespace {

namespace fs = std::filesystem;
using namespace sinforge::testing::weights;  // NOLINT: the helpers of weights_test_data.h
using sinforge::WeightsError;
using sinforge::testing::read_bytes;
using sinforge::testing::TempDir;
using sinforge::testing::write_bytes;

TEST(WeightsLoad, EncoderFromBothFormats) {
  const auto sd = sinforge::load_state_dict(fixture("vgg_zip.pth"));
  std::map<std::string, at::Tensor> by_key(sd.begin(), sd.end());
  for (const std::string format : {"legacy", "zip"}) {
    SCOPED_TRACE(format);
    const auto enc = sinforge::load_encoder_weights(fixture("vgg_" + format + ".pth"));
    EXPECT_EQ(enc.input_1x1.weight.sizes(), at::IntArrayRef({3, 3, 1, 1}));
    EXPECT_TRUE(at::equal(enc.input_1x1.weight, by_key.at("0.weight")));
    EXPECT_TRUE(at::equal(enc.input_1x1.bias, by_key.at("0.bias")));
    const std::vector<int> keys = {2, 5, 9, 12, 16, 19, 22, 25, 29};
    ASSERT_EQ(enc.convs.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string k = std::to_string(keys[i]);
      EXPECT_TRUE(at::equal(enc.convs[i].weight, by_key.at(k + ".weight"))) << k;
      EXPECT_TRUE(at::equal(enc.convs[i].bias, by_key.at(k + ".bias"))) << k;
      EXPECT_TRUE(enc.convs[i].weight.is_contiguous());
      EXPECT_EQ(enc.convs[i].weight.size(2), 3);
    }
    EXPECT_EQ(enc.convs.back().weight.sizes(), at::IntArrayRef({512, 256, 3, 3}));
  }
}

TEST(WeightsLoad, DecoderFromBothFormats) {
  const auto sd = sinforge::load_state_dict(fixture("dec_legacy.pth"));
  std::map<std::string, at::Tensor> by_key(sd.begin(), sd.end());
  for (const std::string format : {"legacy", "zip"}) {
    SCOPED_TRACE(format);
    const auto dec = sinforge::load_decoder_weights(fixture("dec_" + format + ".pth"));
    const std::vector<int> keys = {1, 5, 8, 11, 14, 18, 21, 25, 28};
    ASSERT_EQ(dec.convs.size(), keys.size());
    std::int64_t params = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string k = std::to_string(keys[i]);
      EXPECT_TRUE(at::equal(dec.convs[i].weight, by_key.at(k + ".weight"))) << k;
      EXPECT_TRUE(at::equal(dec.convs[i].bias, by_key.at(k + ".bias"))) << k;
      params += dec.convs[i].weight.numel() + dec.convs[i].bias.numel();
    }
    EXPECT_EQ(params, 3505219);
    EXPECT_EQ(dec.convs.front().weight.sizes(), at::IntArrayRef({256, 512, 3, 3}));
    EXPECT_EQ(dec.convs.back().weight.sizes(), at::IntArrayRef({3, 64, 3, 3}));
  }
}

TEST(WeightsLoad, EncoderOnlyFileAndViewsAreAccepted) {
  const auto enc = sinforge::load_encoder_weights(fixture("vgg_encoder_only.pth"));
  EXPECT_EQ(enc.convs.size(), 9u);
  const auto dec = sinforge::load_decoder_weights(fixture("dec_view_legacy.pth"));
  EXPECT_TRUE(dec.convs.back().weight.is_contiguous());
}

TEST(WeightsErrors, WrongShapeNamesKeyAndShapes) {
  const auto vgg = weights_error([] { sinforge::load_encoder_weights(fixture("vgg_wrong_shape.pth")); });
  EXPECT_TRUE(
      contains(vgg, "vgg_wrong_shape.pth: key '2.weight' has shape [64, 3, 1, 1], expected [64, 3, 3, 3]"))
      << vgg;
  const auto opt = weights_error([] { sinforge::load_encoder_weights(fixture("vgg_wrong_optional.pth")); });
  EXPECT_TRUE(contains(
      opt, "vgg_wrong_optional.pth: key '32.weight' has shape [512, 512, 1, 1], expected [512, 512, 3, 3]"))
      << opt;
  const auto dec = weights_error([] { sinforge::load_decoder_weights(fixture("dec_wrong_shape.pth")); });
  EXPECT_TRUE(contains(
      dec, "dec_wrong_shape.pth: key '14.weight' has shape [128, 256, 3, 2], expected [128, 256, 3, 3]"))
      << dec;
}

TEST(WeightsErrors, WrongDtypeNamesTheKey) {
  for (const std::string name : {"dec_float64.pth", "dec_float64_legacy.pth"}) {
    const auto message = weights_error([&] { sinforge::load_decoder_weights(fixture(name)); });
    EXPECT_TRUE(contains(message, name + ": key '1.bias' has dtype Double, expected Float")) << message;
  }
}

TEST(WeightsErrors, UnexpectedAndMissingKeys) {
  const auto extra = weights_error([] { sinforge::load_encoder_weights(fixture("vgg_extra_key.pth")); });
  EXPECT_TRUE(contains(extra, "vgg_extra_key.pth: not the VGG encoder file")) << extra;
  EXPECT_TRUE(contains(extra, "unexpected keys 'extra.weight'")) << extra;
  const auto missing = weights_error([] { sinforge::load_decoder_weights(fixture("dec_missing_key.pth")); });
  EXPECT_TRUE(contains(missing, "dec_missing_key.pth: not the decoder file")) << missing;
  EXPECT_TRUE(contains(missing, "missing keys '21.bias'")) << missing;
}

TEST(WeightsErrors, AnotherArchitecture) {
  for (const std::string name : {"other_arch.pth", "other_arch_legacy.pth"}) {
    const auto as_vgg = weights_error([&] { sinforge::load_encoder_weights(fixture(name)); });
    EXPECT_TRUE(
        contains(as_vgg, name + ": not the VGG encoder file (vgg_normalised.pth) (another architecture?)"))
        << as_vgg;
    const auto as_dec = weights_error([&] { sinforge::load_decoder_weights(fixture(name)); });
    EXPECT_TRUE(contains(as_dec, name + ": not the decoder file (decoder.pth) (another architecture?)"))
        << as_dec;
  }
}

TEST(WeightsErrors, SwappedFilesAreRecognised) {
  const auto dec_as_vgg = weights_error([] { sinforge::load_encoder_weights(fixture("dec_legacy.pth")); });
  EXPECT_TRUE(
      contains(dec_as_vgg, "dec_legacy.pth: looks like the decoder file (decoder.pth), not the VGG encoder"))
      << dec_as_vgg;
  for (const std::string name : {"vgg_zip.pth", "vgg_encoder_only.pth"}) {
    const auto vgg_as_dec = weights_error([&] { sinforge::load_decoder_weights(fixture(name)); });
    EXPECT_TRUE(contains(vgg_as_dec,
                         name + ": looks like the VGG encoder file (vgg_normalised.pth), not the decoder"))
        << vgg_as_dec;
  }
}

TEST(WeightsErrors, BadFilesThroughTheWeightLoaders) {
  TempDir dir;
  write_bytes(dir / "empty.pth", "");
  EXPECT_TRUE(
      contains(weights_error([&] { sinforge::load_encoder_weights(dir / "empty.pth"); }), "empty.pth"));
  const std::string data = read_bytes(fixture("vgg_legacy.pth"));
  write_bytes(dir / "vgg_cut.pth", std::string_view(data).substr(0, data.size() / 2));
  const auto cut = weights_error([&] { sinforge::load_encoder_weights(dir / "vgg_cut.pth"); });
  EXPECT_TRUE(contains(cut, "vgg_cut.pth: truncated in the data section")) << cut;
}

TEST(WeightsSha256, MatchesHashlib) {
  std::ifstream in(fixture("sha256.txt"));
  std::string name, digest;
  int checked = 0;
  while (in >> name >> digest) {
    EXPECT_EQ(sinforge::sha256_hex(fixture(name)), digest) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 14);
  EXPECT_EQ(sinforge::sha256_hex(fixture("sha_0.bin")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto missing = weights_error([] { sinforge::sha256_hex("/nonexistent/vgg_normalised.pth"); });
  EXPECT_TRUE(contains(missing, "vgg_normalised.pth")) << missing;
}

}  // namespace
