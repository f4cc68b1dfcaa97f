// What a run reports about its inputs and outputs.
#pragma once

#include <filesystem>
#include <string>

namespace sinforge {

// An input left out of the run (an unreadable or too small image), with the reason.
struct SkippedInput {
  std::filesystem::path path;
  std::string reason;
};

}  // namespace sinforge
