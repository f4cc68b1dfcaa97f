#include "sinforge/pipeline/stylizer.h"

#include <c10/core/Event.h>
#include <c10/core/StreamGuard.h>
#include <c10/core/impl/VirtualGuardImpl.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/ordered_loader.h"
#include "sinforge/core/queue_depths.h"
#include "sinforge/core/size_batcher.h"
#include "sinforge/core/stop.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/tensor_image.h"
#include "sinforge/model/device_memory.h"
#include "sinforge/output/webdataset.h"

namespace sinforge {
namespace {

struct PreparedContent {
  size_t index = 0;
  cv::Mat image;
  std::string error;  // non-empty: skip this input
};

// Only the file's own defects (DecodeError) make a skip, which resume never retries. Anything else (out of
// memory, too many open files, an I/O error) propagates from the loader and stops the run, resumable.
PreparedContent load_content(const std::filesystem::path& file, size_t index, const ContentRecipe& recipe) {
  PreparedContent c{index, {}, {}};
  try {
    c.image = prepare_content(read_image(file), recipe);
    c.error = too_small_reason(c.image);
  } catch (const DecodeError& e) {
    c.error = e.what();
  }
  return c;
}

// The same from a tar shard: the member's bytes from its tar's stream (tar_source.h), then as a file's.
PreparedContent load_tar_content(TarContentSource& source, const PlannedContent& p, size_t index,
                                 const ContentRecipe& recipe) {
  PreparedContent c{index, {}, {}};
  try {
    const std::string bytes = source.read(index);
    c.image = prepare_content(
        decode_image(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), p.source),
        recipe);
    c.error = too_small_reason(c.image);
  } catch (const std::exception& e) {
    c.error = e.what();
  }
  return c;
}

// The 8-bit results of one style for a batch, on the network's device. On a GPU that runs out of memory the
// batch is halved and retried; an image that does not fit alone rethrows (every image of a batch has one
// size, so the whole batch is then too large).
at::Tensor stylized_bytes(const StyleNetwork& net, const at::Tensor& images, at::Tensor features,
                          const at::Tensor& style_index, const StyleBank& bank, float alpha, int w, int h) {
  try {
    if (!features.defined()) features = net.encoder()(images);
    return quantize_to_rgb8(net.stylize_features(features, bank.mean, bank.std, style_index, alpha), w, h);
  } catch (const c10::OutOfMemoryError&) {
    const int64_t n = images.size(0);
    if (n == 1) throw;
    features = at::Tensor();
    const int64_t half = n / 2;
    log::debug(str_cat("out of device memory at batch ", n, " (", w, "x", h, "): retrying as ", half, " + ",
                       n - half));
    const at::Tensor a =
        stylized_bytes(net, images.narrow(0, 0, half), {}, style_index.narrow(0, 0, half), bank, alpha, w, h);
    const at::Tensor b = stylized_bytes(net, images.narrow(0, half, n - half), {},
                                        style_index.narrow(0, half, n - half), bank, alpha, w, h);
    return at::cat({a, b});
  }
}

// One style's results on their way to the host: a device->host copy into pinned memory that finishes when
// `done` does, so the next batch can be computed meanwhile. On the CPU the bytes are ready at once.
struct PendingOutput {
  at::Tensor host_bytes;  // uint8 N x h x w x 3 on the CPU
  std::optional<c10::Event> done;
  std::vector<size_t> contents;  // indices into planned
  size_t style = 0;
  int w = 0, h = 0;
};

class Pipeline {
 public:
  Pipeline(const std::vector<PlannedContent>& planned, const StyleBank& bank, const StyleNetwork& net,
           const StylizeSettings& settings, OutputSink& sink, RunRecorder& recorder)
      : planned_(planned), bank_(bank), net_(net), settings_(settings), sink_(sink), recorder_(recorder) {}

  // Encoder once per batch, then AdaIN and decoder once per style; results go to the sink one batch later.
  // Returns the number of inputs skipped (too large for the device). A batch's styles are handed over all
  // or none: were style 0 written and style 1 out of memory, the image would be recorded as skipped, which
  // resume never retries, beside an output of its own.
  size_t run_batch(const std::vector<PreparedContent>& batch) {
    std::vector<cv::Mat> images;
    for (const PreparedContent& c : batch) images.push_back(c.image);
    const int w = images[0].cols, h = images[0].rows;
    const at::Device device = net_.options().device;
    const at::Tensor input = upload(images, device);
    // --pairs gives each content its own number of paintings: style k runs on the images that have one.
    size_t num_styles = 0;
    for (const PreparedContent& c : batch)
      num_styles = std::max(num_styles, planned_[c.index].paintings.size());
    try {
      at::Tensor features;
      try {
        features = net_.encoder()(input);
      } catch (const c10::OutOfMemoryError&) {
        features = at::Tensor();  // encoded again per part below
      }
      std::vector<PendingOutput> outputs;
      for (size_t k = 0; k < num_styles; ++k) {
        std::vector<PreparedContent> part;
        std::vector<int64_t> rows;
        for (size_t b = 0; b < batch.size(); ++b) {
          if (planned_[batch[b].index].paintings.size() <= k) continue;
          part.push_back(batch[b]);
          rows.push_back(static_cast<int64_t>(b));
        }
        at::Tensor part_input = input, part_features = features;
        if (part.size() < batch.size()) {
          const at::Tensor index = at::tensor(rows, at::kLong).to(device);
          part_input = input.index_select(0, index);
          if (features.defined()) part_features = features.index_select(0, index);
        }
        const at::Tensor bytes = stylized_bytes(net_, part_input, part_features, style_index(part, k, device),
                                                bank_, settings_.alpha, w, h);
        PendingOutput out = start_download(bytes, device);
        for (const PreparedContent& c : part) out.contents.push_back(c.index);
        out.style = k;
        out.w = w;
        out.h = h;
        if (k == 0) hand_over();  // the previous batch's results, which had this compute to arrive
        outputs.push_back(std::move(out));
      }
      pending_ = std::move(outputs);
    } catch (const c10::OutOfMemoryError& e) {
      skip_too_large(batch, str_cat("too large for the device (", w, "x", h,
                                    " does not fit even alone): ", e.what_without_backtrace()));
      return batch.size();
    }
    return 0;
  }

  // Waits for the results still on their way and queues them for writing.
  void hand_over() {
    std::vector<PendingOutput> outputs = std::move(pending_);
    pending_.clear();
    for (PendingOutput& out : outputs) hand_over(out);
  }

 private:
  void hand_over(PendingOutput& out) {
    if (out.done) out.done->synchronize();
    std::vector<cv::Mat> results = rgb8_to_images(out.host_bytes);
    for (size_t b = 0; b < out.contents.size(); ++b) {
      const PlannedContent& p = planned_[out.contents[b]];
      if (settings_.existing_outputs.count(p.outputs[out.style]) != 0) continue;  // kept from an earlier run
      // The recipe's last step (sin64's shrink to 64x64) on the host, after the device's 8-bit conversion.
      results[b] = finish_output(results[b], settings_.recipe);
      OutputSample sample{
          {p.relative.generic_string(), bank_.paintings[p.paintings[out.style]].generic_string(),
           p.outputs[out.style].generic_string(), results[b].cols, results[b].rows, ""},
          out.style,
          output_key(p, out.style)};
      sink_.write(std::move(sample), std::move(results[b]));
    }
  }

  // The batch on the network's device. On a GPU the bytes, pinned, are uploaded asynchronously on the
  // current (side) stream and converted there: a quarter of float32's PCIe traffic, and no float conversion
  // on this thread, which feeds the GPU.
  static at::Tensor upload(const std::vector<cv::Mat>& images, const at::Device& device) {
    if (!device.is_cuda()) return images_to_tensor(images);
    return rgb8_to_tensor(images_to_rgb8(images, /*pinned=*/true).to(device, /*non_blocking=*/true));
  }

  // Style k's painting index for each image of the batch, on the device.
  at::Tensor style_index(const std::vector<PreparedContent>& batch, size_t k,
                         const at::Device& device) const {
    std::vector<int64_t> index;
    for (const PreparedContent& c : batch)
      index.push_back(static_cast<int64_t>(planned_[c.index].paintings[k]));
    const at::Tensor host = at::tensor(index, at::kLong);
    // A blocking copy from pageable memory would wait for the stream (the previous batch) to drain.
    return device.is_cuda() ? host.pin_memory().to(device, /*non_blocking=*/true) : host;
  }

  // The results' copy to pinned host memory, queued behind the compute with an event that marks its end.
  static PendingOutput start_download(const at::Tensor& bytes, const at::Device& device) {
    PendingOutput out;
    if (!device.is_cuda()) {
      out.host_bytes = bytes;
      return out;
    }
    out.host_bytes = at::empty(bytes.sizes(), at::TensorOptions(at::kByte).pinned_memory(true));
    out.host_bytes.copy_(bytes, /*non_blocking=*/true);
    out.done.emplace(device.type());
    const c10::impl::VirtualGuardImpl impl(device.type());
    out.done->record(impl.getStream(device));
    return out;
  }

  void skip_too_large(const std::vector<PreparedContent>& batch, const std::string& reason) {
    for (const PreparedContent& c : batch) {
      log::warn(str_cat("content image skipped: ", record_path(planned_[c.index]).string(), ": ", reason));
      recorder_.record_skip({"content", record_path(planned_[c.index]), reason});
    }
  }

  const std::vector<PlannedContent>& planned_;
  const StyleBank& bank_;
  const StyleNetwork& net_;
  const StylizeSettings& settings_;
  OutputSink& sink_;
  RunRecorder& recorder_;
  std::vector<PendingOutput> pending_;  // the last batch's results, one per style
};

// On a GPU everything runs on a side stream, so uploads, compute and downloads queue behind each other
// without the default stream's implicit synchronisation.
std::optional<c10::Stream> side_stream(const at::Device& device) {
  if (!device.is_cuda()) return std::nullopt;
  const c10::impl::VirtualGuardImpl impl(device.type());
  return impl.getStreamFromGlobalPool(device);
}

// Batches of one image size, each no larger than the device holds at that size, with the device's deadline
// (queue_depths.h).
SizeBatcher<PreparedContent> content_batcher(const NetworkOptions& options, int batch_size) {
  const size_t deadline_batches = options.device.is_cuda() ? kQueueDepths.bucket_deadline_batches_gpu
                                                           : kQueueDepths.bucket_deadline_batches_cpu;
  return SizeBatcher<PreparedContent>(static_cast<size_t>(batch_size) * deadline_batches,
                                      [options, batch_size](std::pair<int, int> size) {
                                        return batch_limit(options, size.first, size.second, batch_size);
                                      });
}

void skip_unreadable(const std::filesystem::path& content_dir, const PlannedContent& p,
                     const std::string& reason, RunRecorder& recorder) {
  const std::filesystem::path shown = p.source.empty() ? content_dir / p.relative : record_path(p);
  log::warn(str_cat("content image skipped: ", shown.string(), ": ", reason));
  recorder.record_skip({"content", record_path(p), reason});
}

// The images still waiting in buckets at the end: run, or after a stop request left for the rerun (nothing
// of them is recorded): on a GPU that can be 16 batches, more than a preemption's grace period allows.
template <typename Run>
void run_or_leave_waiting(const std::vector<std::vector<PreparedContent>>& rest, Run&& run) {
  if (!stop_requested()) {
    for (const auto& batch : rest) run(batch);
    return;
  }
  size_t waiting = 0;
  for (const auto& batch : rest) waiting += batch.size();
  if (waiting > 0)
    log::info(str_cat("stopping: ", waiting, " decoded images not stylized; a rerun does them"));
}

}  // namespace

size_t stylize_contents(const std::vector<PlannedContent>& planned, const StyleBank& bank,
                        const StyleNetwork& net, const StylizeSettings& settings, ThreadPool& decoders,
                        OutputSink& sink, RunRecorder& recorder) {
  const size_t window = std::max<size_t>(settings.batch_size * kQueueDepths.decode_ahead_batches,
                                         decoders.size() * kQueueDepths.decode_ahead_per_thread);
  OrderedLoader<PreparedContent> loader(decoders, planned.size(), window, [&](size_t i) {
    if (settings.tar_source != nullptr)
      return load_tar_content(*settings.tar_source, planned[i], i, settings.recipe);
    return load_content(settings.content_dir / planned[i].relative, i, settings.recipe);
  });
  const c10::OptionalStreamGuard stream_guard(side_stream(net.options().device));
  Pipeline pipeline(planned, bank, net, settings, sink, recorder);
  Progress progress(planned.size(), settings.progress_mode, settings.progress_interval);
  size_t skipped = 0;
  const auto run = [&](const std::vector<PreparedContent>& batch) {
    const size_t too_large = pipeline.run_batch(batch);
    skipped += too_large;
    progress.done(batch.size() - too_large);
    progress.skipped(too_large);
    recorder.flush();
  };
  SizeBatcher<PreparedContent> batcher = content_batcher(net.options(), settings.batch_size);
  PreparedContent c;
  // A stop request ends the loop between images; the batch in flight is finished and written.
  while (!stop_requested() && loader.next(c)) {
    if (!c.error.empty()) {
      skip_unreadable(settings.content_dir, planned[c.index], c.error, recorder);
      ++skipped;
      progress.skipped(1);
      batcher.skip();
      continue;
    }
    const std::pair<int, int> size{c.image.cols, c.image.rows};
    for (const auto& batch : batcher.add(size, std::move(c))) run(batch);
  }
  run_or_leave_waiting(batcher.drain(), run);
  if (settings.batching != nullptr) *settings.batching = batcher.stats();
  pipeline.hand_over();
  sink.finish();
  recorder.flush();
  progress.finish();
  return skipped;
}

}  // namespace sinforge
