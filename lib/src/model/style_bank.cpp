#include "sinforge/model/style_bank.h"

#include <c10/core/StreamGuard.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/ordered_loader.h"
#include "sinforge/core/queue_depths.h"
#include "sinforge/core/size_batcher.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/tensor_image.h"
#include "sinforge/model/device_memory.h"

namespace sinforge {
namespace {

struct PreparedPainting {
  size_t index = 0;
  at::Tensor pixels;  // float32 [1, 3, H, W] in [0, 1]; page-locked when the network is on a GPU
  std::string error;  // non-empty: left out
};

// Decode, prepare and convert on a worker thread, so the thread that feeds the network only uploads.
PreparedPainting load_painting(const std::filesystem::path& file, size_t index, const StyleRecipe& recipe,
                               bool pinned) {
  PreparedPainting p{index, {}, {}};
  try {
    // A painting the recipe shrinks anyway is decoded at reduced scale (image_io.h): tens of megapixels
    // would otherwise cost seconds and gigabytes each.
    const cv::Mat decoded = read_image_reduced(file, style_decode_min_side(recipe));
    p.error = below_min_size_reason(decoded, recipe);
    if (!p.error.empty()) return p;
    const cv::Mat prepared = prepare_style(decoded, recipe);
    p.error = too_small_reason(prepared);
    if (p.error.empty()) p.pixels = images_to_tensor({prepared}, pinned);
  } catch (const DecodeError& e) {
    // Only the file's own defects leave a painting out (and the bank file keeps that for good); anything
    // else (out of memory, too many open files, an I/O error) stops the run, which a rerun resumes.
    p.error = e.what();
  }
  return p;
}

// Paintings of one size per batch on a GPU (there are few sizes when the recipe crops to squares, many
// otherwise); one at a time on the CPU, which gains nothing from batching and stays the exact reference.
int painting_batch_capacity(const NetworkOptions& options, int w, int h) {
  if (!options.device.is_cuda()) return 1;
  return batch_limit(options, w, h, kQueueDepths.style_batch);
}

// The statistics of one batch of same-size paintings, left on the device: no wait for the GPU here.
void encode_batch(const std::vector<PreparedPainting>& batch, const StyleNetwork& net,
                  std::vector<at::Tensor>& means, std::vector<at::Tensor>& stds) {
  const at::Device device = net.options().device;
  std::vector<at::Tensor> parts;
  for (const PreparedPainting& p : batch) parts.push_back(p.pixels.to(device, /*non_blocking=*/true));
  const at::Tensor images = parts.size() == 1 ? parts[0] : at::cat(parts);
  const auto [m, s] = net.style_statistics(images);
  for (size_t b = 0; b < batch.size(); ++b) {
    means[batch[b].index] = m[static_cast<int64_t>(b)];
    stds[batch[b].index] = s[static_cast<int64_t>(b)];
  }
}

}  // namespace

StyleBank encode_paintings(const std::filesystem::path& styles_dir,
                           const std::vector<std::filesystem::path>& found, const StyleRecipe& recipe,
                           const StyleNetwork& net, ThreadPool& pool, std::vector<SkippedInput>& skipped) {
  const auto start = std::chrono::steady_clock::now();
  const NetworkOptions& options = net.options();
  const bool on_gpu = options.device.is_cuda();
  OrderedLoader<PreparedPainting> loader(
      pool, found.size(), pool.size() * kQueueDepths.style_decode_ahead_per_thread,
      [&](size_t i) { return load_painting(styles_dir / found[i], i, recipe, on_gpu); });
  // Uploads and the encoder queue on a side stream, as the content pipeline's do (stylizer.cpp).
  std::optional<c10::StreamGuard> stream_guard;
  if (on_gpu) {
    const c10::impl::VirtualGuardImpl impl(options.device.type());
    stream_guard.emplace(impl.getStreamFromGlobalPool(options.device));
  }
  std::vector<at::Tensor> means(found.size()), stds(found.size());
  SizeBatcher<PreparedPainting> batcher(
      static_cast<size_t>(kQueueDepths.style_batch) * kQueueDepths.style_deadline_batches,
      [&](std::pair<int, int> size) { return painting_batch_capacity(options, size.first, size.second); });
  const auto run = [&](const std::vector<std::vector<PreparedPainting>>& due) {
    for (const auto& batch : due) encode_batch(batch, net, means, stds);
  };
  PreparedPainting p;
  while (loader.next(p)) {
    if (!p.error.empty()) {
      log::warn(str_cat("painting skipped: ", (styles_dir / found[p.index]).string(), ": ", p.error));
      skipped.push_back({"painting", found[p.index], p.error});
      batcher.skip();
      continue;
    }
    const std::pair<int, int> size{static_cast<int>(p.pixels.size(3)), static_cast<int>(p.pixels.size(2))};
    run(batcher.add(size, std::move(p)));
  }
  run(batcher.drain());
  // The bank lists the usable paintings in the order they were found, whatever order the batches ran in.
  StyleBank bank;
  std::vector<at::Tensor> kept_means, kept_stds;
  for (size_t i = 0; i < found.size(); ++i) {
    if (!means[i].defined()) continue;
    bank.paintings.push_back(found[i]);
    kept_means.push_back(means[i]);
    kept_stds.push_back(stds[i]);
  }
  if (!bank.paintings.empty()) {
    bank.mean = at::stack(kept_means);
    bank.std = at::stack(kept_stds);
  }
  if (on_gpu) {  // the time below then includes the device's work
    c10::impl::VirtualGuardImpl(options.device.type()).getStream(options.device).synchronize();
  }
  bank.encode_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return bank;
}

}  // namespace sinforge
