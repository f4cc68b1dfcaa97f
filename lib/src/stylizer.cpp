#include "sinforge/stylizer.h"

#include <string>

#include "sinforge/image_io.h"
#include "sinforge/log.h"
#include "sinforge/ordered_loader.h"
#include "sinforge/stop.h"
#include "sinforge/tensor_image.h"

namespace sinforge {
namespace {

struct PreparedContent {
  size_t index = 0;
  cv::Mat image;
  std::string error;  // non-empty: skip this input
};

PreparedContent load_content(const std::filesystem::path& file, size_t index, const ContentRecipe& recipe) {
  PreparedContent c{index, {}, {}};
  try {
    c.image = prepare_content(read_image(file), recipe);
    c.error = too_small_reason(c.image);
  } catch (const std::exception& e) {
    c.error = e.what();
  }
  return c;
}

// Encoder once per batch, then AdaIN and decoder once per style; results go to the writer.
void stylize_batch(const std::vector<PreparedContent>& batch, const std::vector<PlannedContent>& planned,
                   const StyleBank& bank, const StyleNetwork& net, const StylizeSettings& settings,
                   OutputWriter& writer, RunRecorder& recorder) {
  std::vector<cv::Mat> images;
  for (const PreparedContent& c : batch) images.push_back(c.image);
  const int w = images[0].cols, h = images[0].rows;
  const at::Tensor features = net.encoder()(images_to_tensor(images));
  const size_t num_styles = planned[batch[0].index].paintings.size();
  for (size_t k = 0; k < num_styles; ++k) {
    std::vector<int64_t> index;
    for (const PreparedContent& c : batch)
      index.push_back(static_cast<int64_t>(planned[c.index].paintings[k]));
    const at::Tensor style_index = at::tensor(index, at::kLong).to(net.options().device);
    const at::Tensor out = net.stylize_features(features, bank.mean, bank.std, style_index, settings.alpha);
    std::vector<cv::Mat> results = tensor_to_images(out, w, h);
    for (size_t b = 0; b < batch.size(); ++b) {
      // The hook for the recipe's last step (the 64x64 shrink); a GPU pipeline would do it on the device.
      results[b] = finish_output(results[b], settings.recipe);
      const PlannedContent& p = planned[batch[b].index];
      if (settings.existing_outputs.count(p.outputs[k]) != 0) continue;  // kept from an earlier run
      ManifestEntry entry{p.relative.generic_string(), bank.paintings[p.paintings[k]].generic_string(),
                          p.outputs[k].generic_string(), results[b].cols, results[b].rows};
      writer.write(settings.out_dir / p.outputs[k], std::move(results[b]),
                   [&recorder, entry = std::move(entry)] { recorder.record_output(entry); });
    }
  }
}

}  // namespace

size_t stylize_contents(const std::vector<PlannedContent>& planned, const StyleBank& bank,
                        const StyleNetwork& net, const StylizeSettings& settings, ThreadPool& decoders,
                        OutputWriter& writer, RunRecorder& recorder) {
  size_t skipped = 0;
  const size_t window = std::max<size_t>(settings.batch_size * 2, decoders.size() * 2);
  OrderedLoader<PreparedContent> loader(decoders, planned.size(), window, [&](size_t i) {
    return load_content(settings.content_dir / planned[i].relative, i, settings.recipe);
  });
  std::vector<PreparedContent> batch;
  Progress progress(planned.size(), settings.progress_mode, settings.progress_interval);
  const auto flush = [&] {
    if (batch.empty()) return;
    stylize_batch(batch, planned, bank, net, settings, writer, recorder);
    progress.done(batch.size());
    batch.clear();
    recorder.flush();
  };
  PreparedContent c;
  // A stop request ends the loop between images: the batch gathered so far is finished and written.
  while (!stop_requested() && loader.next(c)) {
    if (!c.error.empty()) {
      const std::filesystem::path path = settings.content_dir / planned[c.index].relative;
      log::warn(format("content image skipped: ", path.string(), ": ", c.error));
      recorder.record_skip({"content", planned[c.index].relative, c.error});
      ++skipped;
      progress.skipped(1);
      continue;
    }
    // Only images of one size share a batch; a batch also ends at batch_size.
    if (!batch.empty() &&
        (batch[0].image.size() != c.image.size() || static_cast<int>(batch.size()) == settings.batch_size)) {
      flush();
    }
    batch.push_back(std::move(c));
  }
  flush();
  writer.finish();
  recorder.flush();
  progress.finish();
  return skipped;
}

}  // namespace sinforge
