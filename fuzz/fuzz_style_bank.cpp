// The style bank file (records/style_bank_file.h load_style_bank): any bytes load as a bank or are refused
// with BankFileError, never read past their end or allocated beyond their size. A bank that loads saves
// and loads back as itself, and its key describes itself (no changes).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>

#include <ATen/ATen.h>

#include "fuzz_input_file.h"
#include "sinforge/records/style_bank_file.h"

namespace {

bool same(const sinforge::LoadedBank& a, const sinforge::LoadedBank& b) {
  if (!(a.key == b.key) || a.bank.paintings != b.bank.paintings || a.skipped.size() != b.skipped.size())
    return false;
  for (size_t i = 0; i < a.skipped.size(); ++i)
    if (a.skipped[i].path != b.skipped[i].path || a.skipped[i].reason != b.skipped[i].reason) return false;
  if (a.bank.mean.defined() != b.bank.mean.defined()) return false;
  // Bytes, not values: a NaN read from the file is itself again.
  return !a.bank.mean.defined() ||
         (a.bank.mean.sizes() == b.bank.mean.sizes() &&
          std::memcmp(a.bank.mean.data_ptr(), b.bank.mean.data_ptr(), a.bank.mean.nbytes()) == 0 &&
          std::memcmp(a.bank.std.data_ptr(), b.bank.std.data_ptr(), a.bank.std.nbytes()) == 0);
}

// save_style_bank finds each painting by its path: a key that names one path twice cannot be saved as read.
bool paths_unique(const sinforge::BankKey& key) {
  std::set<std::string> seen;
  for (const auto& p : key.paintings)
    if (!seen.insert(p.path).second) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path file = sinforge::fuzz::write_input(data, size, "input.bank");
  if (file.empty()) return 0;
  sinforge::LoadedBank loaded;
  try {
    loaded = sinforge::load_style_bank(file);
  } catch (const sinforge::BankFileError&) {
    return 0;
  }
  if (!sinforge::bank_changes(loaded.key, loaded.key).empty()) __builtin_trap();
  if (!paths_unique(loaded.key)) return 0;
  const std::filesystem::path again = file.parent_path() / "again.bank";
  sinforge::save_style_bank(again, loaded.key, loaded.bank, loaded.skipped);
  if (!same(loaded, sinforge::load_style_bank(again))) __builtin_trap();
  return 0;
}
