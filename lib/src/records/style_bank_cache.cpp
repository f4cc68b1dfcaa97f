#include "sinforge/records/style_bank_cache.h"

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/progress.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

StyleBank build_and_save(const BankRequest& request, const StyleNetwork& net, ThreadPool& pool,
                         std::vector<SkippedInput>& skipped) {
  std::vector<SkippedInput> left_out;
  StyleBank bank =
      encode_paintings(request.styles_dir, request.found, request.key.recipe, net, pool, left_out);
  save_style_bank(request.file, request.key, bank, left_out, request.temporary_owner);
  const double rate =
      bank.encode_seconds > 0 ? static_cast<double>(request.found.size()) / bank.encode_seconds : 0;
  log::info(str_cat("style bank written: ", request.file.string(), " (", bank.paintings.size(),
                    " paintings, ", format_rate(rate), " paintings/s)"));
  skipped.insert(skipped.end(), left_out.begin(), left_out.end());
  return bank;
}

}  // namespace

StyleBank obtain_style_bank(const BankRequest& request, const StyleNetwork& net, ThreadPool& pool,
                            std::vector<SkippedInput>& skipped) {
  const std::string named = request.named_explicitly ? "--style-bank " : "style bank ";
  if (fs::exists(request.file)) {
    std::string why_not;
    try {
      LoadedBank loaded = load_style_bank(request.file);
      why_not = bank_changes(loaded.key, request.key);
      if (why_not.empty()) {
        log::info(str_cat("style bank reused: ", request.file.string(), " (", loaded.bank.paintings.size(),
                          " paintings)"));
        skipped.insert(skipped.end(), loaded.skipped.begin(), loaded.skipped.end());
        if (loaded.bank.mean.defined()) {
          loaded.bank.mean = loaded.bank.mean.to(net.options().device);
          loaded.bank.std = loaded.bank.std.to(net.options().device);
        }
        return std::move(loaded.bank);
      }
      why_not = "stale: " + why_not;
    } catch (const BankFileError& e) {
      why_not = e.what();
    }
    // A bank named on the command line is the user's: never replace it behind their back.
    if (request.named_explicitly)
      throw UsageError(str_cat(named, request.file.string(), " cannot be used: ", why_not));
    log::warn(str_cat(named, request.file.string(), " rebuilt: ", why_not));
  }
  return build_and_save(request, net, pool, skipped);
}

}  // namespace sinforge
