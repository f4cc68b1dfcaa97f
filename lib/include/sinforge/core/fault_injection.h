// Test seam for a full disk. SINFORGE_FAULT_WRITE_AFTER=N makes every output write after the first N fail as
// a full disk would (ENOSPC), so the tests can check a clean stop and a resume where no small filesystem can
// be mounted. One count for the whole process: an image file of the folder layout, a sample appended to a
// tar of the webdataset layout. Read once; unset in normal use.
#pragma once

#include <filesystem>

namespace sinforge {

// Throws std::runtime_error naming target and "No space left on device" once the limit is passed.
void fail_if_fault_injected(const std::filesystem::path& target);

}  // namespace sinforge
