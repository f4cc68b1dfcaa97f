#include "sinforge/shape_bias/classifier.h"

#include <torch/script.h>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/shape_bias/human_categories.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// A TorchScript module: what torch.jit.save writes for a scripted or traced model.
class TorchScriptClassifier final : public ImageNetClassifier {
 public:
  TorchScriptClassifier(torch::jit::Module module, fs::path file, at::Device device)
      : module_(std::move(module)), file_(std::move(file)), device_(device) {
    module_.eval();
  }

  at::Tensor logits(const at::Tensor& batch) override {
    c10::InferenceMode inference;
    const c10::IValue output = module_.forward({batch});
    if (!output.isTensor()) {
      throw UsageError(str_cat("--model ", file_.string(), ": the model returned a ", output.tagKind(),
                               ", not a tensor of [N, 1000] ImageNet logits"));
    }
    const at::Tensor out = output.toTensor();
    if (out.dim() != 2 || out.size(0) != batch.size(0) || out.size(1) != kImageNetClassCount) {
      throw UsageError(str_cat("--model ", file_.string(), ": the model's output has shape ", out.sizes(),
                               " for a batch of ", batch.size(0), "; expected [", batch.size(0),
                               ", 1000] ImageNet logits"));
    }
    return out.to(at::kFloat);
  }

  at::Device device() const override { return device_; }
  const fs::path& file() const override { return file_; }

 private:
  torch::jit::Module module_;
  fs::path file_;
  at::Device device_;
};

}  // namespace

std::unique_ptr<ImageNetClassifier> load_imagenet_classifier(const fs::path& file, at::Device device) {
  if (!fs::is_regular_file(file)) throw UsageError("--model " + file.string() + ": no such file");
  torch::jit::Module module;
  try {
    module = torch::jit::load(file.string(), device);
  } catch (const c10::Error& e) {
    throw UsageError(
        "--model " + file.string() +
        ": cannot load it as TorchScript (save the model with torch.jit.save of torch.jit.script or "
        "torch.jit.trace; see README): " +
        e.what_without_backtrace());
  }
  log::info(str_cat("shape-bias: model ", file.string(), " (TorchScript) on ", device.str()));
  return std::make_unique<TorchScriptClassifier>(std::move(module), file, device);
}

}  // namespace sinforge
