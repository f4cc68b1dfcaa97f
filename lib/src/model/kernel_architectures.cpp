// built_kernel_architectures(): the lists CMake defines on this file alone ("75,80,86,90,100,120"), so that
// the other objects stay identical between builds for different chips (ccache).
#include <sstream>
#include <string>
#include <vector>

#include "sinforge/model/kernel_support.h"

#ifndef SINFORGE_KERNEL_SASS
#define SINFORGE_KERNEL_SASS ""
#endif
#ifndef SINFORGE_KERNEL_PTX
#define SINFORGE_KERNEL_PTX ""
#endif

namespace sinforge {
namespace {

// Unused in a build without kernels (SINFORGE_WITH_CUDA=OFF), which -Werror would otherwise refuse.
[[maybe_unused]] std::vector<int> parse_arch_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(std::stoi(item));
  }
  return out;
}

}  // namespace

const KernelArchitectures& built_kernel_architectures() {
#ifdef SINFORGE_HAVE_CUDA
  static const KernelArchitectures built{parse_arch_list(SINFORGE_KERNEL_SASS),
                                         parse_arch_list(SINFORGE_KERNEL_PTX)};
#else
  static const KernelArchitectures built{};  // no kernels in this build, whatever CMake chose
#endif
  return built;
}

}  // namespace sinforge
