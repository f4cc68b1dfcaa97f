// The sinforge command line: dispatches a subcommand (one file each, commands.h) and turns errors into
// exit statuses. The work itself lives in the library.
#include <cxxopts.hpp>

#include <iostream>
#include <string>

#include "commands.h"
#include "sinforge/core/error.h"
#include "sinforge/core/version.h"

namespace {

const char* kUsage = R"(usage: sinforge <command> [flags]

commands:
  run       stylize a folder tree of content images with a folder tree of paintings
  styles    encode the paintings once into a style bank file (run does this by itself when needed)
  derive    write a derived set: scrambled or patched crops, or a model-vs-human manipulation (no weights)
  preview   write a contact sheet (content | painting | result) of a few samples
  verify    check that every output a run recorded exists and decodes at its size
  bench     measure images/s of each stage and end to end (synthetic data unless told otherwise)
  shape-bias  measure a trained classifier's texture/shape bias on the cue-conflict stimuli
  info      what this binary and machine offer: versions, kernels, GPUs, codecs, weights (--json)
  version   print the version
  help      print this text; 'sinforge <command> --help' describes a command's flags
)";

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "help";
  try {
    if (command == "run") return sinforge::cli::run_command(argc - 1, argv + 1);
    if (command == "styles") return sinforge::cli::styles_command(argc - 1, argv + 1);
    if (command == "derive") return sinforge::cli::derive_command(argc - 1, argv + 1);
    if (command == "preview") return sinforge::cli::preview_command(argc - 1, argv + 1);
    if (command == "verify") return sinforge::cli::verify_command(argc - 1, argv + 1);
    if (command == "bench") return sinforge::cli::bench_command(argc - 1, argv + 1);
    if (command == "shape-bias") return sinforge::cli::shape_bias_command(argc - 1, argv + 1);
    if (command == "info") return sinforge::cli::info_command(argc - 1, argv + 1);
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
