// `sinforge run`, start to end: validate, load weights, scan, encode the paintings once (style_bank), plan
// the pairs and names (plan), stylize the contents (stylizer) and write (output_writer).
#include "sinforge/run.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/headeronly/version.h>

#include <chrono>
#include <thread>

#include "sinforge/device.h"
#include "sinforge/error.h"
#include "sinforge/log.h"
#include "sinforge/output_writer.h"
#include "sinforge/plan.h"
#include "sinforge/records.h"
#include "sinforge/scan.h"
#include "sinforge/style_bank.h"
#include "sinforge/stylizer.h"
#include "sinforge/thread_pool.h"
#include "sinforge/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool is_inside(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(inner, ec), b = fs::weakly_canonical(outer, ec);
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
    if (bi->empty()) continue;  // trailing separator
    if (ai == a.end() || *ai != *bi) return false;
  }
  return true;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
double seconds_since(Clock::time_point t) { return seconds_between(t, Clock::now()); }

// The summary record: counts, timings per stage, settings, versions and the weights' digests.
nlohmann::json summary_json(const RunOptions& o, const RunSummary& s, const nlohmann::json& stage_seconds) {
  nlohmann::json j;
  j["counts"] = {{"content_images", s.contents},
                 {"paintings_usable", s.paintings},
                 {"outputs_written", s.written},
                 {"contents_skipped", s.skipped_contents},
                 {"paintings_skipped", s.skipped_paintings}};
  j["seconds"] = stage_seconds;
  j["seconds"]["total"] = s.seconds;
  j["images_per_second"] = s.seconds > 0 ? static_cast<double>(s.written) / s.seconds : 0.0;
  j["settings"] = {{"content", o.content_dir.string()},
                   {"styles", o.styles_dir.string()},
                   {"out", o.out_dir.string()},
                   {"num_styles", o.num_styles},
                   {"alpha", o.alpha},
                   {"content_size", o.content_size},
                   {"style_size", o.style_size},
                   {"crop", o.crop},
                   {"seed", o.seed},
                   {"format", o.format == ImageFormat::kPng ? "png" : "jpg"},
                   {"quality", o.quality},
                   {"device", o.device},
                   {"precision", to_string(o.precision)},
                   {"batch_size", o.batch_size},
                   {"extensions", o.extensions}};
  j["versions"] = {{"sinforge", SINFORGE_VERSION}, {"libtorch", TORCH_VERSION}};
  j["weights"] = {{"vgg", o.vgg.string()},
                  {"vgg_sha256", sha256_hex(o.vgg)},
                  {"decoder", o.decoder.string()},
                  {"decoder_sha256", sha256_hex(o.decoder)}};
  return j;
}

size_t worker_count(int requested) {
  if (requested > 0) return static_cast<size_t>(requested);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

void validate(const RunOptions& o) {
  const auto require_dir = [](const fs::path& dir, const char* flag) {
    if (dir.empty()) throw UsageError(format(flag, " is required"));
    if (!fs::is_directory(dir)) throw UsageError(format(flag, " ", dir.string(), ": no such folder"));
  };
  require_dir(o.content_dir, "--content");
  require_dir(o.styles_dir, "--styles");
  if (o.out_dir.empty()) throw UsageError("--out is required");
  if (fs::exists(o.out_dir) && !fs::is_directory(o.out_dir)) {
    throw UsageError(format("--out ", o.out_dir.string(), " exists and is not a folder"));
  }
  if (is_inside(o.out_dir, o.content_dir) || is_inside(o.out_dir, o.styles_dir)) {
    throw UsageError("--out must not lie inside --content or --styles (a rerun would read its own outputs)");
  }
  if (o.num_styles < 1) throw UsageError("--num-styles must be at least 1");
  if (!(o.alpha >= 0.f && o.alpha <= 1.f))
    throw UsageError(format("--alpha must lie in [0, 1], got ", o.alpha));
  if (o.content_size < 0) throw UsageError("--content-size must be 0 (keep) or positive");
  if (o.style_size < 0) throw UsageError("--style-size must be 0 (keep) or positive");
  if (o.crop < 0) throw UsageError("--crop must be 0 (none) or positive");
  if (o.crop > 0 && o.crop < kMinImageSide)
    throw UsageError(format("--crop must be at least ", kMinImageSide));
  if (o.quality < 1 || o.quality > 100) throw UsageError("--quality must lie in [1, 100]");
  if (o.batch_size < 1) throw UsageError("--batch-size must be at least 1");
  if (o.threads < 0) throw UsageError("--threads must be 0 (every core) or positive");
  if (o.extensions.empty()) throw UsageError("--extensions names no extension");
  const at::Device device = parse_device(o.device);
  if (device.is_cpu() && o.precision != Precision::kFp32) {
    throw UsageError("--precision " + to_string(o.precision) + " needs a GPU; the CPU path computes in fp32");
  }
}

RunSummary run_stylize(const RunOptions& o) {
  const auto start = Clock::now();
  validate(o);
  // Everything that can fail on bad input fails here, before the output folder is touched.
  const EncoderWeights encoder_weights = load_encoder_weights(o.vgg);
  const DecoderWeights decoder_weights = load_decoder_weights(o.decoder);
  const std::vector<fs::path> contents = scan_images(o.content_dir, o.extensions);
  const std::vector<fs::path> paintings = scan_images(o.styles_dir, o.extensions);
  if (contents.empty()) throw UsageError("--content " + o.content_dir.string() + ": no images found");
  if (paintings.size() < o.num_styles) {
    throw UsageError(format("--styles ", o.styles_dir.string(), " holds ", paintings.size(),
                            " images, fewer than --num-styles ", o.num_styles));
  }

  const size_t threads = worker_count(o.threads);
  at::set_num_threads(static_cast<int>(threads));
  const c10::InferenceMode inference;
  NetworkOptions net_options;
  net_options.device = parse_device(o.device);
  net_options.precision = o.precision;
  net_options.channels_last = net_options.device.is_cuda();
  // cuDNN picks the fastest convolution per shape once; batches repeat a few shapes many times.
  if (net_options.device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
  const StyleNetwork net(encoder_weights, decoder_weights, net_options);
  log::info(format("sinforge ", SINFORGE_VERSION, ": ", contents.size(), " content images, ",
                   paintings.size(), " paintings, device ", net_options.device.str(), ", ",
                   to_string(o.precision)));

  RunSummary summary;
  summary.contents = contents.size();
  const auto styles_start = Clock::now();
  ThreadPool decoders(threads);
  std::vector<SkippedInput> skipped_paintings;
  const StyleBank bank =
      encode_paintings(o.styles_dir, paintings, StyleRecipe{o.style_size}, net, decoders, skipped_paintings);
  const double styles_seconds = seconds_since(styles_start);
  summary.paintings = bank.paintings.size();
  summary.skipped_paintings = skipped_paintings.size();
  if (bank.paintings.size() < o.num_styles) {
    throw std::runtime_error(format("only ", bank.paintings.size(), " of ", paintings.size(),
                                    " paintings could be read: fewer than --num-styles ", o.num_styles));
  }
  const std::vector<PlannedContent> planned =
      plan_outputs(contents, bank.paintings, {o.seed, o.num_styles, o.format == ImageFormat::kPng});

  RunRecorder recorder(o.out_dir, ShardId{});
  for (const SkippedInput& s : skipped_paintings) recorder.record_skip(s);
  const auto contents_start = Clock::now();
  OutputWriter writer(threads, o.format, o.quality);
  const StylizeSettings settings{o.content_dir, o.out_dir, ContentRecipe{o.content_size, o.crop}, o.alpha,
                                 o.batch_size};
  summary.skipped_contents = stylize_contents(planned, bank, net, settings, decoders, writer, recorder);
  summary.written = writer.written();
  summary.seconds = seconds_since(start);
  recorder.write_summary(summary_json(o, summary,
                                      {{"load_and_scan", seconds_between(start, styles_start)},
                                       {"paintings", styles_seconds},
                                       {"contents", seconds_since(contents_start)}}));
  return summary;
}

}  // namespace sinforge
