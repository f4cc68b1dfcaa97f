// The AdaIN network with LibTorch functional ops. Weights are moved once to the device, dtype and memory
// format of the computation; activations stay there.
#include "sinforge/model/network.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include <ATen/Context.h>
#include <c10/core/InferenceMode.h>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/model/ops/adain.h"
#include "sinforge/model/ops/reflect_pad.h"

namespace sinforge {
namespace {

// Where the encoder pools (after these conv indices into the 9 convs of keys 2..29): relu1_2, relu2_2,
// relu3_4.
constexpr int kEncoderPoolAfter[] = {1, 3, 7};
// Where the decoder upsamples (after these of its 9 convs): state-dict keys 1, 14 and 21, the published
// decoder's modules 3, 16 and 23 (docs/REFERENCE.md section 1).
constexpr int kDecoderUpsampleAfter[] = {0, 4, 6};

bool contains(const int* begin, const int* end, int value) { return std::find(begin, end, value) != end; }

// forward over the batch, one image at a time on the CPU (network.h says why), whole on a GPU.
template <typename Forward>
at::Tensor batch_independent(const NetworkOptions& options, const at::Tensor& batch, Forward&& forward) {
  const c10::InferenceMode inference;
  if (options.device.is_cuda() || batch.size(0) <= 1) return forward(batch);
  std::vector<at::Tensor> results;
  results.reserve(static_cast<size_t>(batch.size(0)));
  // A copy of each image: its own allocation (aligned as any tensor's), not a view at an offset into the
  // batch, so the image reaches oneDNN as it would alone.
  for (int64_t i = 0; i < batch.size(0); ++i) results.push_back(forward(batch.narrow(0, i, 1).clone()));
  return at::cat(results);
}

ConvLayer to_device(const ConvLayer& layer, const NetworkOptions& options) {
  const auto dtype = scalar_type(options.precision);
  ConvLayer out;
  out.weight = layer.weight.to(options.device, dtype);
  if (options.channels_last && out.weight.size(2) > 1) {
    out.weight = out.weight.contiguous(at::MemoryFormat::ChannelsLast);
  }
  out.bias = layer.bias.to(options.device, dtype);
  return out;
}

at::Tensor conv3x3_reflect(const at::Tensor& x, const ConvLayer& layer) {
  return at::conv2d(at::reflection_pad2d(x, {1, 1, 1, 1}), layer.weight, layer.bias);
}

bool pools_after(int conv) {
  return contains(std::begin(kEncoderPoolAfter), std::end(kEncoderPoolAfter), conv);
}
bool upsamples_after(int conv) {
  return contains(std::begin(kDecoderUpsampleAfter), std::end(kDecoderUpsampleAfter), conv);
}

at::Tensor prepare_input(const at::Tensor& images, const NetworkOptions& options) {
  if (images.dim() != 4 || images.size(1) != 3) {
    throw std::invalid_argument("images must be [N, 3, H, W]");
  }
  at::Tensor x = images.to(options.device, scalar_type(options.precision));
  if (options.channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
  return x;
}

}  // namespace

at::ScalarType scalar_type(Precision precision) {
  switch (precision) {
    case Precision::kFp16:
      return at::kHalf;
    case Precision::kBf16:
      return at::kBFloat16;
    case Precision::kFp32:
      break;
  }
  return at::kFloat;
}

bool gpu_supports(Precision precision, ComputeCapability capability) {
  switch (precision) {
    case Precision::kBf16:
      return capability >= ComputeCapability{8, 0};  // bf16 arithmetic and tensor cores: Ampere on
    case Precision::kFp16:
      return capability >= ComputeCapability{5, 3};
    case Precision::kFp32:
      break;
  }
  return true;
}

void check_precision_for_gpu(Precision precision, ComputeCapability capability, const std::string& gpu) {
  if (gpu_supports(precision, capability)) return;
  if (precision == Precision::kBf16) {
    throw UsageError(str_cat("--precision bf16 needs a GPU of compute capability 8.0 (Ampere) or newer; ",
                             gpu, " is ", sm_name(capability),
                             ": use --precision fp16, which its tensor cores run"));
  }
  throw UsageError(str_cat("--precision ", to_string(precision), " is not supported on ", gpu, " (",
                           sm_name(capability), "): use --precision fp32"));
}

void check_precision_for_device(Precision precision, const at::Device& device) {
  if (device.is_cpu() && precision != Precision::kFp32)
    throw UsageError("--precision " + to_string(precision) + " needs a GPU; the CPU path computes in fp32");
  if (!device.is_cuda() || precision == Precision::kFp32) return;
  const int index = device.index() < 0 ? 0 : device.index();
  if (const std::optional<GpuInfo> gpu = gpu_info(index))
    check_precision_for_gpu(precision, gpu->capability, str_cat("cuda:", index, " (", gpu->name, ")"));
}

ConvLayer fold_input_conv(const ConvLayer& input_1x1, const ConvLayer& first_3x3) {
  const at::Tensor w0 = input_1x1.weight.to(at::kDouble).flatten(1);  // [3 (j), 3 (i)]
  const at::Tensor b0 = input_1x1.bias.to(at::kDouble);               // [3 (j)]
  const at::Tensor w2 = first_3x3.weight.to(at::kDouble);             // [64, 3 (j), 3, 3]
  const at::Tensor b2 = first_3x3.bias.to(at::kDouble);
  ConvLayer folded;
  folded.weight = at::einsum("ojhw,ji->oihw", {w2, w0}).to(at::kFloat).contiguous();
  folded.bias = (b2 + at::einsum("ojhw,j->o", {w2, b0})).to(at::kFloat).contiguous();
  return folded;
}

Encoder::Encoder(const EncoderWeights& weights, const NetworkOptions& options) : options_(options) {
  if (weights.convs.size() != 9) throw std::invalid_argument("encoder weights must hold 9 3x3 convs");
  has_input_1x1_ = !options.fold_input_conv;
  if (has_input_1x1_) {
    convs_.push_back(to_device(weights.input_1x1, options));
    convs_.push_back(to_device(weights.convs[0], options));
  } else {
    convs_.push_back(to_device(fold_input_conv(weights.input_1x1, weights.convs[0]), options));
  }
  for (size_t i = 1; i < weights.convs.size(); ++i) convs_.push_back(to_device(weights.convs[i], options));
}

at::Tensor Encoder::operator()(const at::Tensor& images) const {
  return batch_independent(options_, images, [this](const at::Tensor& batch) { return forward(batch); });
}

at::Tensor Encoder::forward(const at::Tensor& images) const {
  const c10::InferenceMode inference;
  at::Tensor x = prepare_input(images, options_);
  size_t next = 0;
  if (has_input_1x1_) {
    x = at::conv2d(x, convs_[0].weight, convs_[0].bias);
    next = 1;
  }
  if (options_.fuse_reflect_pad) {
    // Each ReLU waits for the next padding (reflect_pad1), past a pooling if one comes between: ReLU and max
    // pooling commute exactly.
    bool pending_relu = false;
    for (int i = 0; i < 9; ++i) {
      const ConvLayer& conv = convs_[next++];
      x = at::conv2d(reflect_pad1(x, pending_relu, false), conv.weight, conv.bias);
      pending_relu = true;
      if (pools_after(i)) x = at::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, /*ceil_mode=*/true);
    }
    return x.relu_();
  }
  for (int i = 0; i < 9; ++i) {
    x = conv3x3_reflect(x, convs_[next++]).relu_();
    if (pools_after(i)) x = at::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, /*ceil_mode=*/true);
  }
  return x;
}

Decoder::Decoder(const DecoderWeights& weights, const NetworkOptions& options) : options_(options) {
  if (weights.convs.size() != 9) throw std::invalid_argument("decoder weights must hold 9 3x3 convs");
  for (const ConvLayer& layer : weights.convs) convs_.push_back(to_device(layer, options));
}

at::Tensor Decoder::operator()(const at::Tensor& features) const {
  return batch_independent(options_, features, [this](const at::Tensor& batch) { return forward(batch); });
}

at::Tensor Decoder::forward(const at::Tensor& features) const {
  const c10::InferenceMode inference;
  at::Tensor x = features.to(options_.device, scalar_type(options_.precision));
  if (options_.channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
  const int last = static_cast<int>(convs_.size()) - 1;
  if (options_.fuse_reflect_pad) {  // each ReLU and upsampling wait for the next padding (reflect_pad1)
    bool pending_relu = false, pending_upsample = false;
    for (int i = 0; i <= last; ++i) {
      x = at::conv2d(reflect_pad1(x, pending_relu, pending_upsample), convs_[i].weight, convs_[i].bias);
      pending_relu = true;
      pending_upsample = upsamples_after(i);
    }
    return x;  // no activation after the last conv
  }
  for (int i = 0; i <= last; ++i) {
    x = conv3x3_reflect(x, convs_[i]);
    if (i == last) break;  // no activation after the last conv
    x.relu_();
    if (upsamples_after(i)) x = at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
  }
  return x;
}

void apply_conv_algorithm_policy(const NetworkOptions& options) {
  at::globalContext().setBenchmarkCuDNN(options.conv_autotune && options.device.is_cuda());
}

StyleNetwork::StyleNetwork(const EncoderWeights& encoder, const DecoderWeights& decoder,
                           const NetworkOptions& options)
    : options_(options), encoder_(encoder, options), decoder_(decoder, options) {
  apply_conv_algorithm_policy(options_);
}

std::pair<at::Tensor, at::Tensor> StyleNetwork::style_statistics(const at::Tensor& style_images) const {
  return channel_stats(encoder_(style_images));
}

at::Tensor StyleNetwork::stylize_features(const at::Tensor& content_features, const at::Tensor& style_mean,
                                          const at::Tensor& style_std, const at::Tensor& style_index,
                                          float alpha) const {
  const at::Tensor mixed = adain(content_features, style_mean, style_std, style_index, alpha);
  return decoder_(mixed).to(at::kFloat);
}

}  // namespace sinforge
