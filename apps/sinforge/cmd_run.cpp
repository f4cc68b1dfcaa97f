// `sinforge run`: flags -> RunOptions -> run_stylize. The checks on values live in the library's validate();
// the CLI checks only what turning a flag's text into a value needs (--format, --batch-size, --shard,
// --output-layout, --tar-size, and --num-styles before it becomes a size_t).
#include <cxxopts.hpp>

#include <string>

#include "commands.h"
#include "run_flags.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/stop.h"
#include "sinforge/image/image_format.h"
#include "sinforge/model/network.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/pipeline/run.h"
#include "sinforge/plan/shard.h"
#include "sinforge/records/records.h"

namespace sinforge::cli {
namespace {

ImageFormat parse_format(const std::string& name) {
  ImageFormat format{};
  if (parse_image_format(name, format)) return format;
  throw UsageError("--format must be jpg or png, got '" + name + "'");
}

// auto -> 0 (the library picks per device); else a whole number of at least 1.
int parse_batch_size(const std::string& text) {
  if (text == "auto") return 0;
  size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 1)
    throw UsageError("--batch-size must be auto or at least 1, got '" + text + "'");
  return value;
}

// The flags only `run` has, given explicitly on top of the preset; the shared ones are read by run_flags.
void apply_run_only_flags(const cxxopts::ParseResult& r, RunOptions& o) {
  int num_styles = 0;
  if (given(r, "num-styles", num_styles)) {
    if (num_styles < 1) throw UsageError("--num-styles must be at least 1");
    o.num_styles = static_cast<size_t>(num_styles);
  }
  if (r.count("pairs") != 0) o.pairs_file = r["pairs"].as<std::string>();
  if (r.count("classes") != 0) o.classes_file = r["classes"].as<std::string>();
  given(r, "output-size", o.content.output_size);
  std::string text;
  if (given(r, "format", text)) o.output.encoding.format = parse_format(text);
  given(r, "quality", o.output.encoding.jpeg_quality);
  given(r, "png-level", o.output.encoding.png_level);
  if (given(r, "batch-size", text)) o.batch_size = parse_batch_size(text);
  given(r, "progress-interval", o.progress_interval);
  if (r.count("style-bank") != 0) o.style_bank = r["style-bank"].as<std::string>();
  o.shard =
      parse_shard(r["shard"].as<std::string>(),
                  r.count("shard-count") != 0 ? std::optional(r["shard-count"].as<size_t>()) : std::nullopt);
  o.overwrite = r.count("overwrite") != 0;
  if (given(r, "output-layout", text) && !parse_output_layout(text, o.output.layout))
    throw UsageError("--output-layout must be folder or webdataset, got '" + text + "'");
  if (given(r, "tar-size", text)) o.output.tar_size = parse_byte_size(text);
  given(r, "tar-prefix", o.output.tar_prefix);
}

}  // namespace

int run_command(int argc, char** argv) {
  cxxopts::Options cli("sinforge run", "Stylize every image below --content with paintings from --styles.");
  add_shared_run_flags(cli);
  // clang-format off
  cli.add_options()
      ("out", "output folder (mirrors the content tree, or holds the tar shards)", cxxopts::value<std::string>())
      ("output-layout", "folder (an ImageFolder tree) or webdataset (tar shards)", cxxopts::value<std::string>()->default_value("folder"))
      ("tar-size", "webdataset: bytes per tar, e.g. 1G, 500M, 1GiB", cxxopts::value<std::string>()->default_value("1G"))
      ("tar-prefix", "webdataset: tars are <out>/<prefix>-<shard K>-<NNNNNN>.tar", cxxopts::value<std::string>()->default_value("sinforge"))
      ("num-styles", "paintings per content image", cxxopts::value<int>()->default_value("1"))
      ("classes", "tar shards: FILE naming the .cls class numbers, line i for class i", cxxopts::value<std::string>())
      ("pairs", "CSV content,painting[,k] fixing the pairing (a run's manifest is one); unlisted contents are not stylized", cxxopts::value<std::string>())
      ("output-size", "shrink each square result to NxN by area averaging (0: keep; needs --crop)", cxxopts::value<int>()->default_value("0"))
      ("style-bank", "file of the paintings' statistics, built or reused (default: <out>/sinforge.styles.bank)", cxxopts::value<std::string>())
      ("format", "jpg or png", cxxopts::value<std::string>()->default_value("jpg"))
      ("quality", "JPEG quality 1..100", cxxopts::value<int>()->default_value("75"))
      ("png-level", "PNG compression 0..12: 0 fastest (literal coding), 1..12 libdeflate's levels; the same pixels at every level", cxxopts::value<int>()->default_value("0"))
      ("batch-size", "images per network batch: N, or auto (4 on the CPU, 128 on a GPU, lowered to what fits)", cxxopts::value<std::string>()->default_value("auto"))
      ("shard", "K/N: do shard K of N (0-based), or auto (Slurm array, Kubernetes Indexed Job)", cxxopts::value<std::string>()->default_value("0/1"))
      ("shard-count", "N for --shard auto in a Kubernetes Indexed Job (else SINFORGE_SHARD_COUNT)", cxxopts::value<size_t>())
      ("overwrite", "recompute every output, even where --out holds outputs made with other settings")
      ("progress-interval", "seconds between progress lines when stderr is no terminal (0: no progress)", cxxopts::value<double>()->default_value("30"));
  // clang-format on
  cxxopts::ParseResult r;
  if (!parse_command_line(cli, argc, argv, r)) return kExitOk;

  RunOptions o = read_shared_run_flags(r);  // the preset, then the shared flags given explicitly
  o.out_dir = required_path(r, "out");
  apply_run_only_flags(r, o);
  validate(o);  // flags first: a bad flag is reported even when the weights are missing too
  locate_weight_flags(r, o);

  install_stop_handlers();
  const RunSummary s = run_stylize(o);
  if (s.stop_signal != 0) {
    log::warn(str_cat("stopped by signal ", s.stop_signal, " after ", s.written, " images; the journal is ",
                      "flushed: run the same command again to resume"));
    return 128 + s.stop_signal;  // the shell's convention: 130 for SIGINT, 143 for SIGTERM
  }
  log::info(str_cat("done: ", s.written, " images written to ", o.out_dir.string(), ", ", s.skipped_contents,
                    " content images and ", s.skipped_paintings, " paintings skipped (see ",
                    skipped_path(o.out_dir, o.shard).filename().string(), "), ", s.seconds, " s"));
  log::info(str_cat("batches: ", s.batching.batches, " of up to ", s.batch_size, " images, ",
                    static_cast<int>(s.batching.fill() * 100 + 0.5), "% full on average"));
  return kExitOk;
}

}  // namespace sinforge::cli
