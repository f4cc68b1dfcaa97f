// An input left out of a run (an unreadable or too small image) and why: what the decoding stages report
// and the skipped list (records/records.h) keeps.
#pragma once

#include <filesystem>
#include <string>

namespace sinforge {

struct SkippedInput {
  std::string kind;            // "content" or "painting"
  std::filesystem::path path;  // relative to --content or --styles
  std::string reason;
};

}  // namespace sinforge
