// The style bank file: the paintings' relu4_1 statistics (style_bank.h) kept on disk, so that runs and shards
// encode each painting once, not once per run. The file records what the statistics depend on (the VGG
// weights, the encoder's precision, the style recipe, every painting's path, size and modification time);
// when any of that changes the file is stale and is rebuilt (or, named explicitly, refused).
//
// Layout, little-endian; a string is a u32 byte count and the bytes:
//   "SINFBANK" u32 version
//   string vgg_sha256, string precision
//   i32 size, i32 crop, i32 filter, i32 min_size                      (the StyleRecipe)
//   u64 n, then n x (string path, u64 bytes, i64 mtime_ns)           (every painting scanned, in order)
//   u64 u, then u x u64 index into the list                          (the usable paintings, bank order)
//   u64 s, then s x (u64 index, string reason)                       (the paintings left out)
//   u32 channels, then u x channels f32 means, u x channels f32 stds
//   u64 FNV-1a 64 of every byte before it
// Files are written under a temporary name in the same folder and renamed (write_file_atomic), so shards
// racing to create one never see a partial file: the last rename puts an identical file in place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sinforge/image/recipe.h"
#include "sinforge/model/style_bank.h"
#include "sinforge/records/records.h"

namespace sinforge {

inline constexpr uint32_t kStyleBankVersion = 1;
// The bank a run uses without --style-bank: a top-level file of its output folder.
inline constexpr const char* kDefaultStyleBankName = "sinforge.styles.bank";

// A bank file that cannot be read: missing, truncated, corrupt or of another version.
struct BankFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PaintingStamp {
  std::string path;  // relative to the styles folder, '/' separated
  uint64_t bytes = 0;
  int64_t mtime_ns = 0;
  bool operator==(const PaintingStamp&) const = default;
};

// Everything the statistics depend on.
struct BankKey {
  std::string vgg_sha256;
  std::string precision;
  StyleRecipe recipe;
  std::vector<PaintingStamp> paintings;  // every painting scanned, in scan order
  bool operator==(const BankKey&) const = default;
};

// Stats every painting (size, modification time) and hashes the VGG file.
BankKey make_bank_key(const std::filesystem::path& styles_dir,
                      const std::vector<std::filesystem::path>& found, const std::filesystem::path& vgg,
                      Precision precision, const StyleRecipe& recipe);
// The same with the VGG file's SHA-256 already known (a run hashes the 80 MB file once, for its settings
// too).
BankKey make_bank_key_with_digest(const std::filesystem::path& styles_dir,
                                  const std::vector<std::filesystem::path>& found,
                                  const std::string& vgg_sha256, Precision precision,
                                  const StyleRecipe& recipe);

struct LoadedBank {
  BankKey key;
  StyleBank bank;  // tensors on the CPU
  std::vector<SkippedInput> skipped;
};

// owner names the temporary (atomic_file.h): shards share one bank file, and each removes only the
// temporaries its own kills left.
void save_style_bank(const std::filesystem::path& file, const BankKey& key, const StyleBank& bank,
                     const std::vector<SkippedInput>& skipped, const std::string& owner = {});
// Throws BankFileError naming the file and what is wrong with it.
LoadedBank load_style_bank(const std::filesystem::path& file);

// Empty when stored still describes current; else what changed, for the user.
std::string bank_changes(const BankKey& stored, const BankKey& current);

}  // namespace sinforge
