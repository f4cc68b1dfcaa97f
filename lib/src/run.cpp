// The run pipeline. Paintings are encoded once (AdaIN needs only their channel statistics); content images
// are decoded on a thread pool in order, grouped into batches of equal size, stylized once per style, and
// encoded and written on a second pool while the network works on the next batch.
#include "sinforge/run.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <deque>
#include <map>
#include <thread>

#include "sinforge/device.h"
#include "sinforge/error.h"
#include "sinforge/log.h"
#include "sinforge/pairing.h"
#include "sinforge/resize.h"
#include "sinforge/scan.h"
#include "sinforge/tensor_image.h"
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

cv::Mat resize_shorter_side(const cv::Mat& rgb, int target) {
  if (target <= 0) return rgb;
  const auto [w, h] = shorter_side_size(rgb.cols, rgb.rows, target);
  if (w == rgb.cols && h == rgb.rows) return rgb;
  return resize_pillow(rgb, w, h, ResampleFilter::kBilinear);
}

std::string too_small_reason(const cv::Mat& rgb) {
  if (rgb.cols >= kMinImageSide && rgb.rows >= kMinImageSide) return {};
  return format("too small (", rgb.cols, "x", rgb.rows, " after preprocessing): the encoder needs at least ",
                kMinImageSide, " pixels on each side");
}

struct Decoded {
  size_t index = 0;
  cv::Mat image;
  std::string error;  // non-empty: skip this input
};

Decoded decode_and_prepare(size_t index, const fs::path& file, int size, int crop) {
  Decoded d{index, {}, {}};
  try {
    d.image = resize_shorter_side(read_image(file), size);
    if (crop > 0) d.image = center_crop(d.image, crop);
    d.error = too_small_reason(d.image);
  } catch (const std::exception& e) {
    d.error = e.what();
  }
  return d;
}

size_t worker_count(int requested) {
  if (requested > 0) return static_cast<size_t>(requested);
  return std::max(1u, std::thread::hardware_concurrency());
}

// Paintings' statistics, each painting encoded alone (sizes differ) and once. Unreadable ones are left out.
struct StyleBank {
  std::vector<fs::path> paintings;  // relative to the styles folder, the usable ones
  at::Tensor mean, std;             // float32 [P, 512] on the network's device
};

StyleBank encode_paintings(const RunOptions& o, const std::vector<fs::path>& found, const StyleNetwork& net,
                           ThreadPool& pool, std::vector<SkippedInput>& skipped) {
  StyleBank bank;
  std::vector<at::Tensor> means, stds;
  std::deque<std::future<Decoded>> pending;
  size_t next = 0;
  const size_t window = pool.size() * 2;
  while (next < found.size() || !pending.empty()) {
    while (pending.size() < window && next < found.size()) {
      const size_t i = next++;
      pending.push_back(
          pool.submit([&, i] { return decode_and_prepare(i, o.styles_dir / found[i], o.style_size, 0); }));
    }
    Decoded d = pending.front().get();
    pending.pop_front();
    if (!d.error.empty()) {
      log::warn(format("painting skipped: ", (o.styles_dir / found[d.index]).string(), ": ", d.error));
      skipped.push_back({o.styles_dir / found[d.index], d.error});
      continue;
    }
    const auto [m, s] = net.style_statistics(images_to_tensor({d.image}));
    means.push_back(m[0]);
    stds.push_back(s[0]);
    bank.paintings.push_back(found[d.index]);
  }
  if (!bank.paintings.empty()) {
    bank.mean = at::stack(means);
    bank.std = at::stack(stds);
  }
  return bank;
}

// One content image's place in the plan: its paintings and its output files.
struct PlannedContent {
  fs::path relative;
  std::vector<size_t> paintings;
  std::vector<fs::path> outputs;  // relative to the output folder, one per painting
};

std::vector<PlannedContent> plan(const RunOptions& o, const std::vector<fs::path>& contents,
                                 const StyleBank& bank) {
  const std::vector<std::string> labels = painting_labels(bank.paintings);
  const bool png = o.format == ImageFormat::kPng;
  std::vector<PlannedContent> planned;
  std::map<fs::path, size_t> taken;  // two inputs must never write one output (a.jpg and a.png as PNG)
  for (const fs::path& rel : contents) {
    PlannedContent p{
        rel, pick_paintings(o.seed, rel.generic_string(), bank.paintings.size(), o.num_styles), {}};
    for (const size_t painting : p.paintings) {
      fs::path out = output_relative_path(rel, png, o.num_styles > 1 ? &labels[painting] : nullptr);
      if (taken.count(out) != 0) {  // keep the first name; disambiguate the later one by its own extension
        out.replace_filename(rel.filename().string() + out.extension().string());
      }
      taken[out] = planned.size();
      p.outputs.push_back(out);
    }
    planned.push_back(std::move(p));
  }
  return planned;
}

class ContentStylizer {
 public:
  ContentStylizer(const RunOptions& o, const StyleNetwork& net, const StyleBank& bank,
                  const std::vector<PlannedContent>& planned, RunSummary& summary)
      : o_(o),
        net_(net),
        bank_(bank),
        planned_(planned),
        summary_(summary),
        decoders_(worker_count(o.threads)),
        writers_(worker_count(o.threads)) {}

  void run() {
    std::deque<std::future<Decoded>> pending;
    size_t next = 0;
    const size_t window = std::max<size_t>(o_.batch_size * 2, decoders_.size() * 2);
    std::vector<Decoded> batch;
    while (next < planned_.size() || !pending.empty()) {
      while (pending.size() < window && next < planned_.size()) {
        const size_t i = next++;
        pending.push_back(decoders_.submit([this, i] {
          return decode_and_prepare(i, o_.content_dir / planned_[i].relative, o_.content_size, o_.crop);
        }));
      }
      Decoded d = pending.front().get();
      pending.pop_front();
      if (!d.error.empty()) {
        const fs::path path = o_.content_dir / planned_[d.index].relative;
        log::warn(format("content image skipped: ", path.string(), ": ", d.error));
        summary_.skipped.push_back({path, d.error});
        continue;
      }
      const bool same_size = batch.empty() || (batch[0].image.size() == d.image.size());
      if (!batch.empty() && (!same_size || static_cast<int>(batch.size()) == o_.batch_size)) stylize(batch);
      batch.push_back(std::move(d));
    }
    if (!batch.empty()) stylize(batch);
    while (!writes_.empty()) finish_oldest_write();
  }

 private:
  void stylize(std::vector<Decoded>& batch) {
    std::vector<cv::Mat> images;
    for (const Decoded& d : batch) images.push_back(d.image);
    const int w = images[0].cols, h = images[0].rows;
    const at::Tensor features = net_.encoder()(images_to_tensor(images));
    for (size_t k = 0; k < o_.num_styles; ++k) {
      std::vector<int64_t> index;
      for (const Decoded& d : batch) index.push_back(static_cast<int64_t>(planned_[d.index].paintings[k]));
      const at::Tensor style_index = at::tensor(index, at::kLong).to(net_.options().device);
      const at::Tensor out = net_.stylize_features(features, bank_.mean, bank_.std, style_index, o_.alpha);
      std::vector<cv::Mat> results = tensor_to_images(out, w, h);
      for (size_t b = 0; b < batch.size(); ++b) {
        write(o_.out_dir / planned_[batch[b].index].outputs[k], std::move(results[b]));
      }
    }
    batch.clear();
    report_progress();
  }

  void write(fs::path target, cv::Mat image) {
    while (writes_.size() >= writers_.size() * 4) finish_oldest_write();
    writes_.push_back(writers_.submit([this, target = std::move(target), image = std::move(image)] {
      const std::vector<uint8_t> bytes = encode_image(image, o_.format, o_.quality);
      write_file_atomic(target, bytes);
    }));
  }

  void finish_oldest_write() {
    writes_.front().get();  // rethrows a failed write: the run stops (disk full, folder unwritable)
    writes_.pop_front();
    ++summary_.written;
  }

  void report_progress() {
    const auto now = Clock::now();
    if (now - last_report_ < std::chrono::seconds(10)) return;
    last_report_ = now;
    log::info(format("written ", summary_.written, " images, ", summary_.skipped.size(), " inputs skipped"));
  }

  const RunOptions& o_;
  const StyleNetwork& net_;
  const StyleBank& bank_;
  const std::vector<PlannedContent>& planned_;
  RunSummary& summary_;
  ThreadPool decoders_;
  ThreadPool writers_;
  std::deque<std::future<void>> writes_;
  Clock::time_point last_report_ = Clock::now();
};

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
  const StyleNetwork net(encoder_weights, decoder_weights, net_options);
  log::info(format("sinforge ", SINFORGE_VERSION, ": ", contents.size(), " content images, ",
                   paintings.size(), " paintings, device ", net_options.device.str(), ", ",
                   to_string(o.precision)));

  RunSummary summary;
  summary.contents = contents.size();
  StyleBank bank;
  {
    ThreadPool pool(threads);
    bank = encode_paintings(o, paintings, net, pool, summary.skipped);
  }
  summary.paintings = bank.paintings.size();
  if (bank.paintings.size() < o.num_styles) {
    throw std::runtime_error(format("only ", bank.paintings.size(), " of ", paintings.size(),
                                    " paintings could be read: fewer than --num-styles ", o.num_styles));
  }
  const std::vector<PlannedContent> planned = plan(o, contents, bank);
  fs::create_directories(o.out_dir);
  ContentStylizer(o, net, bank, planned, summary).run();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace sinforge
