// State dicts in both formats (legacy and zip): exact values, offsets and strides, dtypes, and every kind of
// broken file rejected with a WeightsError only.
#include "sinforge/weights/state_dict.h"

#include <gtest/gtest.h>

#include <random>
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

// Files built as malicious torch.load payloads (tests/reference/write_malicious_weights.py): posix.system
// through REDUCE, as a value, in the OrderedDict's _metadata state and as an ignored tensor argument. Each is
// refused naming the global, in both formats, and nothing runs.
TEST(WeightsStateDict, AGlobalAStateDictNeverNeedsIsRefusedNamingIt) {
  const fs::path dir = sinforge::testing::reference_fixture("write_malicious_weights.py", {});
  for (const std::string format : {"legacy", "zip"}) {
    for (const std::string place : {"value", "metadata", "hooks"}) {
      const std::string name = place + "_" + format + ".pth";
      const auto message = weights_error([&] { sinforge::load_state_dict(dir / name); });
      EXPECT_TRUE(contains(message, name + ": refused: ")) << message;
      EXPECT_TRUE(contains(message, "names the global 'posix.system'")) << message;
    }
  }
  EXPECT_FALSE(fs::exists("sinforge-pwned")) << "a payload ran";
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

}  // namespace
