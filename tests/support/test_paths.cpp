// The paths the tests need, set by CMake on this file alone: every other object of the suite is then the
// same in any checkout, so ccache serves a clean clone (CI) or a second worktree from the cache.
#include "support/test_util.h"

namespace sinforge::testing {

std::filesystem::path source_dir() { return SINFORGE_SOURCE_DIR; }
std::string python() { return SINFORGE_TEST_PYTHON; }
std::filesystem::path cli() { return SINFORGE_CLI_PATH; }

}  // namespace sinforge::testing
