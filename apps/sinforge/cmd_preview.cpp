// `sinforge preview`: a contact sheet (content | painting | result) of a few samples, with the run's recipe
// and model flags (run_flags.h), to judge settings before a long run. Prints the rows drawn on stdout.
#include <cxxopts.hpp>

#include <iostream>
#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/tools/preview.h"

namespace sinforge::cli {

int preview_command(int argc, char** argv) {
  cxxopts::Options cli(
      "sinforge preview",
      "Write a contact sheet: one row per sampled content image (content | painting | result).");
  add_shared_run_flags(cli);
  // clang-format off
  cli.add_options()
      ("out", "the sheet to write: .jpg, .jpeg or .png", cxxopts::value<std::string>())
      ("classes", "tar shards: FILE naming the .cls class numbers, line i for class i (as for run: it names the samples the pairing hashes)", cxxopts::value<std::string>())
      ("n", "rows: content images sampled (by --seed)", cxxopts::value<int>()->default_value("8"))
      ("tile-height", "height of every tile in pixels", cxxopts::value<int>()->default_value("256"));
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;

  PreviewOptions p;
  p.run = read_shared_run_flags(r);
  if (r.count("classes") != 0) p.run.classes_file = r["classes"].as<std::string>();
  p.out_file = required_path(r, "out");
  const int n = r["n"].as<int>();
  if (n < 1) throw UsageError("-n must be at least 1");
  p.samples = static_cast<size_t>(n);
  p.tile_height = r["tile-height"].as<int>();
  validate(p);  // flags first: a bad flag is reported even when the weights are missing too
  locate_weight_flags(r, p.run);

  const std::vector<PreviewRow> rows = run_preview(p);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::cout << "row " << i << ": " << rows[i].content.generic_string() << " | "
              << rows[i].painting.generic_string() << '\n';
  }
  log::info(str_cat("wrote ", p.out_file.string(), ": ", rows.size(), " rows"));
  return kExitOk;
}

}  // namespace sinforge::cli
