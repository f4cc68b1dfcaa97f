#include "sinforge/shape_bias/shape_bias.h"

#include <algorithm>
#include <limits>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/resize.h"
#include "sinforge/image/tensor_image.h"

namespace sinforge {
namespace {

constexpr int kInputSize = 224;
constexpr int kResizeTo = 256;  // model-vs-human's Resize(256) before CenterCrop(224)

double ratio(int64_t part, int64_t whole) {
  return whole == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(part) / whole;
}

// ImageNet normalisation, as torchvision's Normalize after ToTensor.
at::Tensor normalise(const at::Tensor& nchw) {
  const at::Tensor mean = at::tensor({0.485f, 0.456f, 0.406f}).view({1, 3, 1, 1});
  const at::Tensor deviation = at::tensor({0.229f, 0.224f, 0.225f}).view({1, 3, 1, 1});
  return (nchw - mean) / deviation;
}

// The images of one batch, decoded, with the stimuli they came from.
struct Batch {
  std::vector<cv::Mat> inputs;
  std::vector<const CueConflictImage*> images;
};

// Decodes images [begin, end) into batch; an unreadable one is skipped and recorded in the report.
void decode_into(const std::vector<CueConflictImage>& images, size_t begin, size_t end, Batch& batch,
                 ShapeBiasReport& report) {
  for (size_t i = begin; i < end; ++i) {
    try {
      bool resized = false;
      batch.inputs.push_back(shape_bias_input(read_image(images[i].path), resized));
      batch.images.push_back(&images[i]);
      report.resized += resized ? 1 : 0;
    } catch (const DecodeError& e) {
      log::warn(str_cat("shape-bias: skipping ", images[i].path.string(), ": ", e.what()));
      report.skipped.push_back({images[i].path, e.what()});
    }
  }
}

void decide_batch(ImageNetClassifier& model, const Batch& batch, ShapeBiasReport& report) {
  if (batch.inputs.empty()) return;
  const at::Tensor input = normalise(images_to_tensor(batch.inputs)).to(model.device());
  const std::vector<int> decisions = decide_human_categories(model.logits(input));
  for (size_t i = 0; i < decisions.size(); ++i) {
    const CueConflictImage& image = *batch.images[i];
    report.per_class[static_cast<size_t>(image.shape)].add(decisions[i], image);
  }
}

}  // namespace

double ShapeBiasTally::shape_bias() const { return ratio(shape, shape + texture); }
double ShapeBiasTally::shape_share() const { return ratio(shape, images()); }
double ShapeBiasTally::texture_share() const { return ratio(texture, images()); }

void ShapeBiasTally::add(int decision, const CueConflictImage& image) {
  if (decision == image.shape) {
    ++shape;
  } else if (decision == image.texture) {
    ++texture;
  } else {
    ++other;
  }
}

ShapeBiasTally& ShapeBiasTally::operator+=(const ShapeBiasTally& other_tally) {
  shape += other_tally.shape;
  texture += other_tally.texture;
  other += other_tally.other;
  return *this;
}

ShapeBiasTally ShapeBiasReport::total() const {
  ShapeBiasTally sum;
  for (const ShapeBiasTally& t : per_class) sum += t;
  return sum;
}

cv::Mat shape_bias_input(const cv::Mat& rgb, bool& resized) {
  resized = rgb.cols != kInputSize || rgb.rows != kInputSize;
  if (!resized) return rgb;
  const auto [w, h] = shorter_side_size(rgb.cols, rgb.rows, kResizeTo);
  return center_crop(resize_pillow(rgb, w, h, ResampleFilter::kBilinear), kInputSize);
}

ShapeBiasReport measure_shape_bias(ImageNetClassifier& model, const CueConflictStimuli& stimuli,
                                   const ShapeBiasOptions& options) {
  if (options.batch_size < 1) throw UsageError("--batch-size must be positive");
  ShapeBiasReport report;
  report.model = model.file();
  report.stimuli = stimuli.dir;
  report.same_class_left_out = stimuli.same_class;
  report.not_images = stimuli.not_images;
  const std::vector<CueConflictImage>& images = stimuli.images;
  const size_t step = static_cast<size_t>(options.batch_size);
  for (size_t begin = 0; begin < images.size(); begin += step) {
    Batch batch;
    decode_into(images, begin, std::min(images.size(), begin + step), batch, report);
    decide_batch(model, batch, report);
    log::debug(
        str_cat("shape-bias: ", std::min(images.size(), begin + step), " of ", images.size(), " decided"));
  }
  if (report.resized > 0)
    log::info(
        str_cat("shape-bias: ", report.resized, " images were not 224x224: Resize(256) + CenterCrop(224)"));
  return report;
}

}  // namespace sinforge
