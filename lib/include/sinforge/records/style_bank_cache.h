// The style bank file as a cache of the paintings' statistics: reused when its key (style_bank_file.h) still
// describes the paintings, the weights and the recipe; else the paintings are encoded again and the file is
// replaced. A run and `sinforge styles` both come through here, so a bank is never encoded twice for one key.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sinforge/core/thread_pool.h"
#include "sinforge/model/network.h"
#include "sinforge/model/style_bank.h"
#include "sinforge/records/records.h"
#include "sinforge/records/style_bank_file.h"

namespace sinforge {

struct BankRequest {
  std::filesystem::path file;
  bool named_explicitly = false;  // a stale or unreadable file is then refused (UsageError), not rebuilt
  std::filesystem::path styles_dir;
  std::vector<std::filesystem::path> found;  // the scanned paintings
  BankKey key;                               // make_bank_key of the above
  std::string temporary_owner;               // the run's shard label: names the file's temporary
};

// Reuses request.file when it matches request.key, else encodes the paintings (encode_paintings) and saves
// the file. Skipped paintings (from the file or the encoding) are appended to skipped. Tensors end on the
// network's device.
StyleBank obtain_style_bank(const BankRequest& request, const StyleNetwork& net, ThreadPool& pool,
                            std::vector<SkippedInput>& skipped);

}  // namespace sinforge
