// `sinforge info [--json] [--vgg FILE --decoder FILE]`: what this binary and machine offer (system_info.h).
// Reports and exits 0 whatever it finds: a missing GPU or weight file is a fact here, not an error.
#include <cxxopts.hpp>

#include <iostream>
#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/tools/system_info.h"

namespace sinforge::cli {

int info_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge info",
                       "Print what this binary and machine offer: versions, kernels, GPUs, "
                       "codecs, weights.");
  // clang-format off
  cli.add_options()
      ("json", "print one JSON object instead of text")
      ("vgg", "vgg_normalised.pth to report on (default: the usual lookup)", cxxopts::value<std::string>())
      ("decoder", "decoder.pth to report on (default: the usual lookup)", cxxopts::value<std::string>())
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("warn"))
      ("h,help", "print this help");
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;
  const SystemReport report = collect_system_report(optional_path(r, "vgg"), optional_path(r, "decoder"));
  if (r.count("json") != 0) {
    std::cout << to_json(report).dump(2) << '\n';
  } else {
    std::cout << to_text(report);
  }
  return kExitOk;
}

}  // namespace sinforge::cli
