#include "sinforge/core/version.h"

namespace sinforge {

const char* version() { return SINFORGE_VERSION; }

}  // namespace sinforge
