#pragma once

namespace sinforge {

// The project's version, as CMake's project() sets it.
const char* version();

}  // namespace sinforge
