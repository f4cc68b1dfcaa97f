// The shape bias of an ImageNet classifier (Geirhos et al., ICLR 2019): it decides each cue-conflict image
// (cue_conflict.h) among the 16 classes (human_categories.h); shape bias = correct-shape decisions /
// (correct-shape + correct-texture decisions), as model-vs-human's ShapeBias analysis computes it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "sinforge/shape_bias/classifier.h"
#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/human_categories.h"

namespace sinforge {

// The decisions on a set of cue-conflict images.
struct ShapeBiasTally {
  int64_t shape = 0;    // decided the shape class
  int64_t texture = 0;  // decided the texture class
  int64_t other = 0;    // decided any other of the 16

  int64_t images() const { return shape + texture + other; }
  // shape / (shape + texture); NaN when neither was ever decided.
  double shape_bias() const;
  // shape / images() and texture / images(): the share of each among all decisions; NaN when no images.
  // (model-vs-human's "fraction-correct-*" divide by every image, the no-conflict ones included.)
  double shape_share() const;
  double texture_share() const;

  void add(int decision, const CueConflictImage& image);
  ShapeBiasTally& operator+=(const ShapeBiasTally& other_tally);
};

struct SkippedStimulus {
  std::filesystem::path path;
  std::string reason;
};

struct ShapeBiasReport {
  std::filesystem::path model;
  std::filesystem::path stimuli;
  std::array<ShapeBiasTally, kHumanCategoryCount> per_class{};  // by shape class, human_categories() order
  int64_t same_class_left_out = 0;
  int64_t resized = 0;                   // images not 224x224, brought there as model-vs-human does
  std::vector<SkippedStimulus> skipped;  // unreadable images: not decided, not counted
  std::vector<std::filesystem::path> not_images;

  ShapeBiasTally total() const;
};

struct ShapeBiasOptions {
  int batch_size = 32;
};

// The network's input for one decoded stimulus: 224x224 images as they are (model-vs-human feeds its 224
// datasets unresized); any other size through torchvision's Resize(256) + CenterCrop(224), the rule it uses
// for the others. Sets resized when it had to.
cv::Mat shape_bias_input(const cv::Mat& rgb, bool& resized);

// Decodes the stimuli in batches, ImageNet-normalises them (mean 0.485 0.456 0.406, std 0.229 0.224 0.225),
// runs the model and tallies its decisions. An image that cannot be decoded is skipped, logged and listed in
// the report. Throws what the model's logits() throws.
ShapeBiasReport measure_shape_bias(ImageNetClassifier& model, const CueConflictStimuli& stimuli,
                                   const ShapeBiasOptions& options = {});

}  // namespace sinforge
