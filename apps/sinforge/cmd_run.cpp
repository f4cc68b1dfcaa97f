// `sinforge run`: flags -> RunOptions -> run_stylize. Every check on values lives in the library's
// validate(), so the CLI stays a thin layer.
#include <cxxopts.hpp>

#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/error.h"
#include "sinforge/log.h"
#include "sinforge/records.h"
#include "sinforge/run.h"

namespace sinforge::cli {
namespace {

ImageFormat parse_format(const std::string& name) {
  if (name == "jpg" || name == "jpeg") return ImageFormat::kJpeg;
  if (name == "png") return ImageFormat::kPng;
  throw UsageError("--format must be jpg or png, got '" + name + "'");
}

}  // namespace

int run_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge run", "Stylize every image below --content with paintings from --styles.");
  add_shared_run_flags(cli);
  // clang-format off
  cli.add_options()
      ("out", "output folder (mirrors the content tree)", cxxopts::value<std::string>())
      ("num-styles", "paintings per content image", cxxopts::value<int>()->default_value("1"))
      ("format", "jpg or png", cxxopts::value<std::string>()->default_value("jpg"))
      ("quality", "JPEG quality 1..100", cxxopts::value<int>()->default_value("75"))
      ("batch-size", "images per network batch", cxxopts::value<int>()->default_value("4"))
      ("progress-interval", "seconds between progress lines when stderr is no terminal (0: no progress)", cxxopts::value<double>()->default_value("30"));
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;

  RunOptions o = read_shared_run_flags(r);
  o.out_dir = required_path(r, "out");
  const int num_styles = r["num-styles"].as<int>();
  if (num_styles < 1) throw UsageError("--num-styles must be at least 1");
  o.num_styles = static_cast<size_t>(num_styles);
  o.format = parse_format(r["format"].as<std::string>());
  o.quality = r["quality"].as<int>();
  o.batch_size = r["batch-size"].as<int>();
  o.progress_interval = r["progress-interval"].as<double>();
  validate(o);  // flags first: a bad flag is reported even when the weights are missing too
  locate_weight_flags(r, o);

  const RunSummary s = run_stylize(o);
  log::info(format("done: ", s.written, " images written to ", o.out_dir.string(), ", ", s.skipped_contents,
                   " content images and ", s.skipped_paintings, " paintings skipped (see ",
                   skipped_path(o.out_dir, ShardId{}).filename().string(), "), ", s.seconds, " s"));
  return kExitOk;
}

}  // namespace sinforge::cli
