// The sinforge command line: dispatches a subcommand (one file each, commands.h) and turns errors into
// exit statuses. The work itself lives in the library.
#include <cxxopts.hpp>

#include <iostream>
#include <string>

#include "commands.h"
#include "sinforge/error.h"
#include "sinforge/version.h"

namespace {

const char* kUsage = R"(usage: sinforge <command> [flags]

commands:
  run       stylize a folder tree of content images with a folder tree of paintings
  bench     measure images/s of each stage and end to end (synthetic data unless told otherwise)
  version   print the version
  help      print this text; 'sinforge <command> --help' describes a command's flags
)";

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "help";
  try {
    if (command == "run") return sinforge::cli::run_command(argc - 1, argv + 1);
    if (command == "bench") return sinforge::cli::bench_command(argc - 1, argv + 1);
    if (command == "version" || command == "--version") {
      std::cout << "sinforge " << sinforge::version() << '\n';
      return sinforge::cli::kExitOk;
    }
    if (command == "help" || command == "--help" || command == "-h") {
      std::cout << kUsage;
      return sinforge::cli::kExitOk;
    }
    std::cerr << "sinforge: unknown command '" << command << "'\n" << kUsage;
    return sinforge::cli::kExitUsage;
  } catch (const cxxopts::exceptions::exception& e) {
    std::cerr << "sinforge: " << e.what() << '\n';
    return sinforge::cli::kExitUsage;
  } catch (const sinforge::UsageError& e) {
    std::cerr << "sinforge: " << e.what() << '\n';
    return sinforge::cli::kExitUsage;
  } catch (const sinforge::WeightsError& e) {
    std::cerr << "sinforge: " << e.what() << '\n';
    return sinforge::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "sinforge: error: " << e.what() << '\n';
    return sinforge::cli::kExitFailed;
  }
}
