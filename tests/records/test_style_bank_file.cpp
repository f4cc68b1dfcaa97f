// The style bank file: statistics survive a save/load exactly, every change the statistics depend on marks
// the file stale, and a truncated or corrupt file is rejected with the reason.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "sinforge/plan/scan.h"
#include "sinforge/records/style_bank_file.h"
#include "sinforge/weights/weights.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using testing::quote;
using testing::read_bytes;
using testing::TempDir;

class BankFile : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(testing::samples_dir() / "styles", styles_);
    std::ofstream(styles_ / "broken.jpg") << "not an image";  // a skip the file must remember
    found_ = scan_images(styles_, {"jpg"});
  }
  fs::path vgg() const { return testing::demo_weights().vgg; }
  BankKey key(const StyleRecipe& recipe) const {
    return make_bank_key(styles_, found_, vgg(), Precision::kFp32, recipe);
  }

  TempDir tmp_;
  fs::path styles_ = tmp_ / "styles";
  std::vector<fs::path> found_;
  StyleRecipe recipe_{40, StyleCrop::kSquare, ResampleFilter::kLanczos, 0};
};

TEST_F(BankFile, LoadedStatisticsEqualTheEncodedOnes) {
  const StyleNetwork net(load_encoder_weights(vgg()), load_decoder_weights(testing::demo_weights().decoder),
                         NetworkOptions{});
  ThreadPool pool(2);
  std::vector<SkippedInput> skipped;
  const StyleBank encoded = encode_paintings(styles_, found_, recipe_, net, pool, skipped);
  ASSERT_EQ(encoded.paintings.size(), found_.size() - 1);
  ASSERT_EQ(skipped.size(), 1u);
  const fs::path file = tmp_ / "bank";
  save_style_bank(file, key(recipe_), encoded, skipped);
  const LoadedBank loaded = load_style_bank(file);
  EXPECT_EQ(loaded.key, key(recipe_));
  EXPECT_EQ(loaded.bank.paintings, encoded.paintings);
  EXPECT_TRUE(at::equal(loaded.bank.mean, encoded.mean.cpu()));
  EXPECT_TRUE(at::equal(loaded.bank.std, encoded.std.cpu()));
  EXPECT_GT(encoded.std.min().item<float>(), 0.f) << "statistics too degenerate to test anything";
  ASSERT_EQ(loaded.skipped.size(), 1u);
  EXPECT_EQ(loaded.skipped[0].path, "broken.jpg");
  EXPECT_EQ(loaded.skipped[0].reason, skipped[0].reason);
  EXPECT_EQ(loaded.skipped[0].kind, "painting");
}

// A small bank with made-up statistics: enough for the format and staleness tests.
fs::path write_small_bank(const fs::path& file, const BankKey& key, const std::vector<fs::path>& found) {
  StyleBank bank;
  bank.paintings = {found[1], found[0]};
  bank.mean = at::arange(2 * 512, at::kFloat).reshape({2, 512});
  bank.std = bank.mean + 0.5f;
  save_style_bank(file, key, bank, {{"painting", found[2], "why not"}});
  return file;
}

TEST_F(BankFile, ChangesMakeItStale) {
  const BankKey stored = key(recipe_);
  EXPECT_EQ(bank_changes(stored, key(recipe_)), "");
  // A painting touched (same bytes, new time).
  const fs::path touched = styles_ / found_[0];
  fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::seconds(5));
  std::string why = bank_changes(stored, key(recipe_));
  EXPECT_NE(why.find(found_[0].string() + " modified"), std::string::npos) << why;
  // The recipe.
  StyleRecipe other = recipe_;
  other.size = 41;
  other.filter = ResampleFilter::kBilinear;
  why = bank_changes(stored, make_bank_key(styles_, found_, vgg(), Precision::kFp32, other));
  EXPECT_NE(why.find("style-size 40 -> 41"), std::string::npos) << why;
  EXPECT_NE(why.find("style-filter lanczos -> bilinear"), std::string::npos) << why;
  // Other weights.
  why = bank_changes(
      stored, make_bank_key(styles_, found_, testing::demo_weights().decoder, Precision::kFp32, recipe_));
  EXPECT_NE(why.find("VGG weights"), std::string::npos) << why;
  // A painting added, one removed.
  std::vector<fs::path> fewer(found_.begin() + 1, found_.end());
  why = bank_changes(stored, make_bank_key(styles_, fewer, vgg(), Precision::kFp32, recipe_));
  EXPECT_NE(why.find("1 removed"), std::string::npos) << why;
  why = bank_changes(make_bank_key(styles_, fewer, vgg(), Precision::kFp32, recipe_), stored);
  EXPECT_NE(why.find("1 added"), std::string::npos) << why;
}

TEST_F(BankFile, TruncatedOrCorruptFilesAreRejected) {
  const fs::path file = write_small_bank(tmp_ / "bank", key(recipe_), found_);
  const LoadedBank ok = load_style_bank(file);
  EXPECT_EQ(ok.bank.paintings, (std::vector<fs::path>{found_[1], found_[0]}));
  EXPECT_TRUE(at::equal(ok.bank.std, at::arange(2 * 512, at::kFloat).reshape({2, 512}) + 0.5f));
  const std::string bytes = read_bytes(file);
  const auto rejected = [&](const std::string& content, const std::string& reason) {
    const fs::path bad = tmp_ / "bad";
    std::ofstream(bad, std::ios::binary | std::ios::trunc) << content;
    try {
      load_style_bank(bad);
      ADD_FAILURE() << "accepted; expected: " << reason;
    } catch (const BankFileError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(bad.string()), std::string::npos) << message;
      EXPECT_NE(message.find(reason), std::string::npos) << message;
    }
  };
  for (size_t cut : {size_t{0}, size_t{5}, size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    rejected(bytes.substr(0, cut), cut < 20 ? "no bank header" : "checksum");
  }
  std::string flipped = bytes;
  flipped[bytes.size() - 100] ^= 0x10;  // inside the statistics
  rejected(flipped, "checksum");
  std::string other_version = bytes;
  other_version[8] = 9;
  rejected(other_version, "format version 9");
  rejected("GIF89a and more bytes than the header needs", "no bank header");
  EXPECT_THROW(load_style_bank(tmp_ / "missing"), BankFileError);
}

}  // namespace
}  // namespace sinforge
