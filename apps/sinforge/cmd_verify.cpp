// `sinforge verify --out DIR`: checks an output folder against its records (verify.h). Prints one line per
// problem and a summary on stdout; exit 0 when clean, 1 when anything is missing or broken.
#include <cxxopts.hpp>

#include <iostream>
#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/tools/verify.h"

namespace sinforge::cli {

int verify_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge verify", "Check that every output a run recorded exists and decodes.");
  // clang-format off
  cli.add_options()
      ("out", "the run's output folder", cxxopts::value<std::string>())
      ("threads", "decoding threads (0: every core)", cxxopts::value<int>()->default_value("0"))
      ("log-level", "debug, info, warn, error or off", cxxopts::value<std::string>()->default_value("info"))
      ("h,help", "print this help");
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;
  if (r.count("out") == 0) throw UsageError("--out is required");
  const int threads = r["threads"].as<int>();
  check_thread_flag(threads);

  ThreadPool pool(worker_count(threads));
  const VerifyReport report = verify_output(r["out"].as<std::string>(), pool);
  for (const VerifyProblem& p : report.problems)
    std::cout << p.kind << ": " << p.path << ": " << p.reason << '\n';
  std::cout << report.summary_line() << '\n';
  return report.clean() ? kExitOk : kExitFailed;
}

}  // namespace sinforge::cli
