// An ImageNet classifier read from a file: what `sinforge shape-bias` measures. Loading sits behind one
// function so that a second format (torch.export's .pt2, now that PyTorch deprecates TorchScript) can be
// added beside TorchScript without touching the callers.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <ATen/ATen.h>

namespace sinforge {

class ImageNetClassifier {
 public:
  virtual ~ImageNetClassifier() = default;
  // batch: float32 NCHW, ImageNet-normalised, on device(). Returns the float32 [N, 1000] logits in the
  // standard ImageNet class order. Throws UsageError naming the model file when the model returns anything
  // else (another class count, another batch size, not a tensor).
  virtual at::Tensor logits(const at::Tensor& batch) = 0;
  virtual at::Device device() const = 0;
  virtual const std::filesystem::path& file() const = 0;
};

// Opens a model file on device, in evaluation mode. Today: TorchScript (torch.jit.save of a scripted or
// traced torchvision classifier). Throws UsageError naming the file when it is missing or cannot be loaded.
std::unique_ptr<ImageNetClassifier> load_imagenet_classifier(const std::filesystem::path& file,
                                                             at::Device device);

}  // namespace sinforge
