// The AdaIN style-transfer network: VGG-19 encoder to relu4_1, AdaIN, decoder (docs/REFERENCE.md section 1).
// Written with LibTorch's functional ops, so the same code runs on the CPU (fp32, the reference) and on CUDA
// (fp32, fp16, bf16). Inputs are RGB in [0, 1]; no mean/std normalisation (the 1x1 conv does it).
#pragma once

#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "sinforge/core/gpu_info.h"
#include "sinforge/model/precision.h"
#include "sinforge/weights/weights.h"

namespace sinforge {

at::ScalarType scalar_type(Precision precision);
// The one rule for --precision: fp16 and bf16 need a GPU, and bf16 one of compute capability 8.0 (Ampere)
// or newer; fp16 runs from 5.3 on (every GPU LibTorch supports). Throws UsageError before any work: on the
// CPU with either, on an older GPU with bf16 (naming fp16 as the alternative).
void check_precision_for_device(Precision precision, const at::Device& device);
// The GPU half of that rule, pure: `gpu` names the GPU in the message ("cuda:0 (Tesla T4)").
void check_precision_for_gpu(Precision precision, ComputeCapability capability, const std::string& gpu);
bool gpu_supports(Precision precision, ComputeCapability capability);

struct NetworkOptions {
  at::Device device = at::kCPU;
  Precision precision = Precision::kFp32;
  bool channels_last = false;  // NHWC activations: faster convolutions on tensor cores
  bool fold_input_conv =
      true;  // fold the 1x1 colour conv into the first 3x3 conv (exact; see fold_input_conv)
  // cuDNN's algorithm search (autotuning) on each new input shape. Off: every new shape (paintings and
  // ImageNet's tail of sizes) would stall tenths of a second, and on an H200 the tuned choice measured
  // slower even for sin224's one shape (docs/PERFORMANCE.md). Only for measuring (sinforge bench).
  bool conv_autotune = false;
  // Between convolutions, ReLU + nearest x2 upsampling + reflection padding as one op (reflect_pad.h): one
  // fused kernel on CUDA with channels-last. Computes the same function exactly (tested on the CPU, where it
  // runs the kernel's index rule through LibTorch ops). Off until measured on a GPU (bench's model_fused).
  bool fuse_reflect_pad = false;
};

// Applies options.conv_autotune to LibTorch's process-wide cuDNN setting (always off on the CPU). Every
// StyleNetwork does this when it is made, so no command can leave it on by accident.
void apply_conv_algorithm_policy(const NetworkOptions& options);

// The 1x1 conv at index 0 is linear per pixel, so it commutes with reflection padding and can be folded into
// the 3x3 conv at index 2: W'[o,i] = sum_j W2[o,j] * W0[j,i], b' = b2 + sum_{j,kh,kw} W2[o,j,kh,kw] * b0[j].
// Computed in double precision.
ConvLayer fold_input_conv(const ConvLayer& input_1x1, const ConvLayer& first_3x3);

// On the CPU the encoder and the decoder take a batch one image at a time, so an image's result never
// depends on what else shares its batch: oneDNN picks its convolution algorithm by the batch's size too, and
// on an AVX-512 machine a 3->64 or 256->512 convolution of one image differed in its last bits between a
// batch of 1 and one of 4, which moved an output pixel by a level. A resumed run, a shard, --batch-size or
// --pairs then gave other bytes than one uninterrupted run. One at a time costs nothing measurable there
// (four single-image 3x3 convolutions took no longer than one batch of four). The thread count still
// matters for some small shapes (oneDNN splits one image's work by it): bytes repeat for one --threads. On a
// GPU the batch runs whole (cuDNN may choose per batch size as well: GPU outputs are held to the CPU's within
// a tolerance).

// relu4_1 features of a batch of images.
class Encoder {
 public:
  Encoder(const EncoderWeights& weights, const NetworkOptions& options);
  // images: float [N, 3, H, W] in [0, 1], any device. Returns [N, 512, ceil(H/8), ceil(W/8)] in the compute
  // dtype on the network's device.
  at::Tensor operator()(const at::Tensor& images) const;

 private:
  at::Tensor forward(const at::Tensor& images) const;  // the whole batch at once

  NetworkOptions options_;
  std::vector<ConvLayer> convs_;  // with the 1x1 first when it is not folded
  bool has_input_1x1_ = false;
};

// Images from relu4_1-shaped features: [N, 512, h, w] -> [N, 3, 8h, 8w], no final activation.
class Decoder {
 public:
  Decoder(const DecoderWeights& weights, const NetworkOptions& options);
  at::Tensor operator()(const at::Tensor& features) const;

 private:
  at::Tensor forward(const at::Tensor& features) const;  // the whole batch at once
  NetworkOptions options_;
  std::vector<ConvLayer> convs_;
};

// Encoder, AdaIN and decoder together, as the run pipeline uses them.
class StyleNetwork {
 public:
  StyleNetwork(const EncoderWeights& encoder, const DecoderWeights& decoder, const NetworkOptions& options);

  const NetworkOptions& options() const { return options_; }
  const Encoder& encoder() const { return encoder_; }
  const Decoder& decoder() const { return decoder_; }

  // A painting's relu4_1 channel statistics: (mean, std), float32 [N, 512] on the network's device.
  std::pair<at::Tensor, at::Tensor> style_statistics(const at::Tensor& style_images) const;

  // Stylizes content features (from encoder()) with style statistics [S, 512] picked per sample by
  // style_index [N]. Returns the decoder's output, float32 [N, 3, 8h, 8w] on the network's device.
  at::Tensor stylize_features(const at::Tensor& content_features, const at::Tensor& style_mean,
                              const at::Tensor& style_std, const at::Tensor& style_index, float alpha) const;

 private:
  NetworkOptions options_;
  Encoder encoder_;
  Decoder decoder_;
};

}  // namespace sinforge
