// Reading the AdaIN weight files: the pickle reader, both torch.save formats, validation against the layer
// table, SHA-256, and the weights locator. Fixtures come from tests/reference/write_weights.py.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sinforge/error.h"
#include "sinforge/pickle.h"
#include "sinforge/state_dict.h"
#include "sinforge/weights.h"
#include "sinforge/weights_locator.h"
#include "test_util.h"

namespace fs = std::filesystem;
using sinforge::WeightsError;
using sinforge::testing::TempDir;

namespace {

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, std::string_view data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// The fixture files, written once per build folder (and script version) by the reference Python: the test
// binary runs once per test, and the files take a few seconds to make.
const fs::path& fixtures() {
  static const fs::path dir = [] {
    const fs::path script = sinforge::testing::source_dir() / "tests" / "reference" / "write_weights.py";
    const fs::path net = sinforge::testing::source_dir() / "tests" / "reference" / "adain_net.py";
    const std::string version = (sinforge::sha256_hex(script) + sinforge::sha256_hex(net)).substr(0, 24);
    const fs::path target = fs::current_path() / ("weights-fixtures-" + version);
    if (fs::exists(target / "sha256.txt")) return target;
    std::random_device rd;
    const fs::path staging = fs::current_path() / ("weights-fixtures-tmp-" + std::to_string(rd()));
    const auto result =
        sinforge::testing::run_reference("write_weights.py", sinforge::testing::quote(staging));
    if (result.exit_code != 0) throw std::runtime_error("write_weights.py failed:\n" + result.output);
    std::error_code ec;
    fs::rename(staging, target, ec);  // another test process may have won the race: theirs is the same
    if (ec) fs::remove_all(staging, ec);
    return target;
  }();
  return dir;
}

fs::path fixture(const std::string& name) { return fixtures() / name; }

// The message of the WeightsError that `f` throws; fails the test when it throws nothing or something else.
template <typename F>
std::string weights_error(F&& f) {
  try {
    f();
  } catch (const WeightsError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw something other than WeightsError: " << e.what();
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

std::string tensor_sha256(const at::Tensor& t) {
  TempDir dir;
  const at::Tensor c = t.to(at::kFloat).contiguous();
  write_bytes(dir / "t.bin",
              std::string_view(static_cast<const char*>(c.data_ptr()), static_cast<std::size_t>(c.nbytes())));
  return sinforge::sha256_hex(dir / "t.bin");
}

struct ExpectedTensor {
  std::string key, sha256;
  std::vector<std::int64_t> shape;
};

std::vector<ExpectedTensor> expected(const std::string& name) {
  std::ifstream in(fixture(name + ".expected.txt"));
  std::vector<ExpectedTensor> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    ExpectedTensor e;
    fields >> e.key >> e.sha256;
    std::int64_t d = 0;
    while (fields >> d) e.shape.push_back(d);
    out.push_back(e);
  }
  return out;
}

void expect_state_dict_equals(const sinforge::StateDict& sd, const std::string& expected_name) {
  const auto want = expected(expected_name);
  ASSERT_FALSE(want.empty());
  ASSERT_EQ(sd.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].key);
    EXPECT_EQ(sd[i].first, want[i].key);
    const at::Tensor& t = sd[i].second;
    EXPECT_EQ(t.sizes(), at::IntArrayRef(want[i].shape));
    EXPECT_EQ(t.scalar_type(), at::kFloat);
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_TRUE(t.device().is_cpu());
    EXPECT_EQ(tensor_sha256(t), want[i].sha256);
  }
}

// A byte string from a literal, embedded NULs included.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---------------------------------------------------------------------------------------------------------
// The pickle reader on its own.

TEST(WeightsPickle, ReadsProtocol4) {
  const std::string data = read_bytes(fixture("proto4.pkl"));
  const auto doc = sinforge::pickle::parse(data);
  EXPECT_EQ(doc.end_offset(), data.size());
  const auto& root = doc.root();
  ASSERT_TRUE(root.is(sinforge::pickle::Kind::kDict));
  const auto* a = root.find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0]->integer, 1);
  EXPECT_EQ(a->items[1]->integer, -2);
  EXPECT_EQ(a->items[2]->real, 3.5);
  EXPECT_EQ(a->items[3]->text, std::string(300, 'x'));
  EXPECT_TRUE(a->items[4]->is(sinforge::pickle::Kind::kBytes));
  EXPECT_EQ(a->items[4]->text, "raw");
  const auto* b = root.find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->items.size(), 6u);
  EXPECT_TRUE(b->items[0]->boolean);
  EXPECT_TRUE(b->items[1]->is(sinforge::pickle::Kind::kNone));
  EXPECT_TRUE(b->items[2]->is(sinforge::pickle::Kind::kBigInt));
  EXPECT_EQ(b->items[3]->integer, -129);
  EXPECT_EQ(b->items[4]->integer, 65536);
  EXPECT_FALSE(b->items[5]->boolean);
  const auto* c = root.find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->global_name(), "collections.OrderedDict");
  ASSERT_NE(c->find("k"), nullptr);
  EXPECT_EQ(c->find("k")->integer, 1);
}

TEST(WeightsPickle, NegativeLong1AndTrailingBytes) {
  const std::string data = bytes("\x80\x02\x8a\x02\x7f\xff.rest");
  const auto doc = sinforge::pickle::parse(data);
  EXPECT_EQ(doc.root().integer, -129);
  EXPECT_EQ(doc.end_offset(), 7u);
}

TEST(WeightsPickle, CyclesAndDeepNestingDoNotCrash) {
  const auto doc = sinforge::pickle::parse(read_bytes(fixture("cycle.pkl")));
  ASSERT_TRUE(doc.root().is(sinforge::pickle::Kind::kList));
  ASSERT_EQ(doc.root().items.size(), 1u);
  EXPECT_EQ(doc.root().items[0], &doc.root());
  EXPECT_LE(sinforge::pickle::describe(doc.root()).size(), 210u);

  const std::size_t depth = 200000;
  const std::string deep = "\x80\x02" + std::string(depth, ']') + std::string(depth - 1, 'a') + ".";
  const auto nested = sinforge::pickle::parse(deep);
  EXPECT_TRUE(contains(sinforge::pickle::describe(nested.root()), "..."));
}

TEST(WeightsPickle, MalformedInputThrows) {
  using sinforge::pickle::parse;
  using sinforge::pickle::PickleError;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(""), "truncated"},
      {bytes("\x80\x02K"), "truncated"},
      {bytes("\x80\x02N"), "before the STOP"},
      {bytes("\x80\x02X\xff\xff\xff\x7f"), "truncated"},
      {bytes("\x80\x02\xff."), "unsupported opcode 0xff"},
      {bytes("\x80\x02h\x05."), "memo key 5"},
      {bytes("\x80\x02t."), "no MARK"},
      {bytes("\x80\x02(N."), "unclosed MARK"},
      {bytes("\x80\x02NN."), "2 values"},
      {bytes("\x80\x02K\x01)R."), "not a global"},
      {bytes("\x80\x02K\x01K\x02K\x03s."), "cannot set items on a int"},
      {bytes("\x80\x02."), "STOP with 0 values"},
      {bytes("\x80\x02"
             "a."),
       "the stack is empty"},
  };
  for (const auto& [data, text] : cases) {
    try {
      sinforge::pickle::parse(data);
      ADD_FAILURE() << "no error for case expecting '" << text << "'";
    } catch (const PickleError& e) {
      EXPECT_TRUE(contains(e.what(), text)) << e.what() << " lacks " << text;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// load_state_dict: both formats, exact values.

TEST(WeightsStateDict, LegacyAndZipLoadExactValues) {
  for (const std::string format : {"legacy", "zip"}) {
    SCOPED_TRACE(format);
    expect_state_dict_equals(sinforge::load_state_dict(fixture("vgg_" + format + ".pth")), "vgg");
    expect_state_dict_equals(sinforge::load_state_dict(fixture("dec_" + format + ".pth")), "dec");
  }
}

TEST(WeightsStateDict, HonoursStorageOffsetAndStrides) {
  for (const std::string format : {"legacy", "zip"}) {
    SCOPED_TRACE(format);
    expect_state_dict_equals(sinforge::load_state_dict(fixture("dec_view_" + format + ".pth")), "dec_view");
  }
}

TEST(WeightsStateDict, OtherDtypesKeepTheirDtype) {
  for (const std::string name : {"dec_float64.pth", "dec_float64_legacy.pth"}) {
    const auto sd = sinforge::load_state_dict(fixture(name));
    ASSERT_EQ(sd.size(), 18u);
    EXPECT_EQ(sd[0].second.scalar_type(), at::kDouble);
    // Same random values as the float32 decoder, up to the float32 -> float64 cast.
    const auto want = sinforge::load_state_dict(fixture("dec_zip.pth"));
    EXPECT_TRUE(at::equal(sd[0].second.to(at::kFloat), want[0].second));
  }
}

TEST(WeightsStateDict, NotATorchFile) {
  TempDir dir;
  write_bytes(dir / "empty.pth", "");
  EXPECT_TRUE(contains(weights_error([&] { sinforge::load_state_dict(dir / "empty.pth"); }),
                       "empty.pth: the file is empty"));
  std::mt19937 rng(5);
  std::string garbage(5000, '\0');
  for (auto& c : garbage) c = static_cast<char>(rng());
  garbage[0] = 'G';
  write_bytes(dir / "garbage.pth", garbage);
  EXPECT_TRUE(contains(weights_error([&] { sinforge::load_state_dict(dir / "garbage.pth"); }),
                       "garbage.pth: not a PyTorch weight file"));
  const auto plain = weights_error([&] { sinforge::load_state_dict(fixture("plain.pkl")); });
  EXPECT_TRUE(contains(plain, "plain.pkl: a Python pickle but not a torch.save file")) << plain;
  const auto missing = weights_error([&] { sinforge::load_state_dict(dir / "nope.pth"); });
  EXPECT_TRUE(contains(missing, "nope.pth: no such file")) << missing;
  const auto folder = weights_error([&] { sinforge::load_state_dict(dir.path()); });
  EXPECT_TRUE(contains(folder, "is a folder")) << folder;
  const auto module = weights_error([&] { sinforge::load_state_dict(fixture("dec_module_zip.pth")); });
  EXPECT_TRUE(contains(module, "dec_module_zip.pth: holds a whole pickled module")) << module;
}

TEST(WeightsStateDict, TruncatedLegacyFileThrows) {
  const std::string data = read_bytes(fixture("dec_legacy.pth"));
  TempDir dir;
  const fs::path cut = dir / "cut.pth";
  // Inside the header, the magic and sys_info pickles, the state dict pickle, the key list, a storage's
  // element count, and the raw data (first storage, middle, last byte).
  for (std::size_t n : {2u, 9u, 16u, 30u, 200u, 1500u, 2300u, 2568u, 3000u, 100000u, 7000000u}) {
    ASSERT_LT(n, data.size());
    write_bytes(cut, std::string_view(data).substr(0, n));
    const auto message = weights_error([&] { sinforge::load_state_dict(cut); });
    EXPECT_TRUE(contains(message, "cut.pth: ")) << message;
    EXPECT_TRUE(contains(message, "truncated")) << n << ": " << message;
  }
  write_bytes(cut, std::string_view(data).substr(0, data.size() - 1));
  EXPECT_TRUE(
      contains(weights_error([&] { sinforge::load_state_dict(cut); }), "truncated in the data section"));
}

TEST(WeightsStateDict, EveryPrefixOfASmallLegacyFileThrows) {
  const std::string data = read_bytes(fixture("other_arch_legacy.pth"));
  ASSERT_LT(data.size(), 20000u);
  TempDir dir;
  const fs::path cut = dir / "prefix.pth";
  int failures = 0;
  for (std::size_t n = 1; n < data.size(); ++n) {
    write_bytes(cut, std::string_view(data).substr(0, n));
    try {
      sinforge::load_state_dict(cut);
      ++failures;
      ADD_FAILURE() << "a prefix of " << n << " bytes loaded";
    } catch (const WeightsError& e) {
      if (!contains(e.what(), "prefix.pth")) ++failures;
    }
    if (failures > 5) break;
  }
  EXPECT_EQ(failures, 0);
  write_bytes(cut, data);
  EXPECT_EQ(sinforge::load_state_dict(cut).size(), 6u);
}

TEST(WeightsStateDict, CorruptedBytesThrowWeightsErrorOnly) {
  const std::string data = read_bytes(fixture("other_arch_legacy.pth"));
  TempDir dir;
  const fs::path bad = dir / "flipped.pth";
  std::mt19937 rng(11);
  int loaded = 0, errors = 0;
  for (int i = 0; i < 400; ++i) {
    std::string copy = data;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      // Mostly in the pickles (the first 2 KB), where the structure is.
      const std::size_t at = 14 + rng() % (i % 2 ? 2000 : copy.size() - 14);
      copy[at] = static_cast<char>(rng());
    }
    write_bytes(bad, copy);
    try {
      sinforge::load_state_dict(bad);
      ++loaded;
    } catch (const WeightsError& e) {
      ++errors;
      ASSERT_TRUE(contains(e.what(), "flipped.pth")) << e.what();
    } catch (const std::exception& e) {
      FAIL() << "not a WeightsError: " << e.what();
    }
  }
  EXPECT_GT(errors, 100);
  // Garbage right after a valid header goes through the pickle reader.
  std::string garbage = data.substr(0, 14);
  for (int i = 0; i < 3000; ++i) garbage += static_cast<char>(rng());
  write_bytes(bad, garbage);
  EXPECT_FALSE(weights_error([&] { sinforge::load_state_dict(bad); }).empty());
}

TEST(WeightsStateDict, TruncatedZipFileThrows) {
  const std::string data = read_bytes(fixture("dec_zip.pth"));
  TempDir dir;
  const fs::path cut = dir / "cut_zip.pth";
  for (std::size_t n :
       std::vector<std::size_t>{4, 30, 100, 5000, 7000000, data.size() - 100, data.size() - 1}) {
    write_bytes(cut, std::string_view(data).substr(0, n));
    const auto message = weights_error([&] { sinforge::load_state_dict(cut); });
    EXPECT_TRUE(contains(message, "cut_zip.pth: cannot read the zip archive")) << n << ": " << message;
  }
}

// ---------------------------------------------------------------------------------------------------------
// load_encoder_weights / load_decoder_weights: the layer table.

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

// ---------------------------------------------------------------------------------------------------------
// SHA-256.

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

// ---------------------------------------------------------------------------------------------------------
// The locator.

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
  try {
    sinforge::locate_weights(std::nullopt, std::nullopt);
    FAIL() << "no error";
  } catch (const sinforge::UsageError& e) {
    const std::string m = e.what();
    EXPECT_TRUE(contains(m, "cannot find decoder.pth")) << m;
    EXPECT_FALSE(contains(m, "cannot find vgg_normalised.pth")) << m;
    EXPECT_TRUE(contains(m, "--decoder")) << m;
    EXPECT_TRUE(contains(m, "$SINFORGE_DECODER")) << m;
    EXPECT_TRUE(contains(m, (dir / "wdir/decoder.pth").string())) << m;
    EXPECT_TRUE(contains(m, (dir / "xdg/sinforge/weights/decoder.pth").string())) << m;
    EXPECT_TRUE(contains(m, "weights/fetch.sh")) << m;
    EXPECT_TRUE(contains(m, "SINFORGE_WEIGHTS_DIR")) << m;
  }
  EXPECT_THROW(sinforge::locate_weights(dir / "missing_vgg.pth", dir / "wdir/vgg_normalised.pth"),
               sinforge::UsageError);
  EnvGuard g6("SINFORGE_DECODER", (dir / "missing_dec.pth").string());
  try {
    sinforge::locate_weights(std::nullopt, std::nullopt);
    FAIL() << "no error";
  } catch (const sinforge::UsageError& e) {
    EXPECT_TRUE(contains(e.what(), "missing_dec.pth: no such file")) << e.what();
  }
}

}  // namespace

namespace {

// ---------------------------------------------------------------------------------------------------------
// weights/fetch.sh without a network (a proxy on a closed port makes curl fail at once, online or not).

TEST(WeightsFetch, FailsQuicklyAndClearlyWhenOffline) {
  TempDir dir;
  const std::string env =
      "https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 all_proxy= ALL_PROXY= "
      "SINFORGE_WEIGHTS_DIR=" +
      sinforge::testing::quote(dir / "w") + " ";
  const auto start = std::chrono::steady_clock::now();
  const auto result = sinforge::testing::run_command(
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
