// `sinforge styles`: the style bank made ahead of the runs that use it (style_bank_cache.h does the work).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sinforge/image/recipe.h"
#include "sinforge/model/session.h"
#include "sinforge/records/records.h"

namespace sinforge {

// `sinforge styles`: scans styles_dir, loads the weights and writes the bank to file (or keeps it when it is
// up to date; a stale or unreadable one is rebuilt). Returns the number of usable paintings.
struct StyleBankJob {
  std::filesystem::path styles_dir;
  std::filesystem::path file;
  std::filesystem::path vgg, decoder;
  StyleRecipe recipe;
  std::vector<std::string> extensions;
  SessionOptions session;  // device, precision, threads (session.h)
};
size_t make_style_bank_file(const StyleBankJob& job, std::vector<SkippedInput>& skipped);

}  // namespace sinforge
