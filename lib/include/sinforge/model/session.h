// The setup every command that runs the network shares (run, styles, preview, bench), written once: the
// worker count (--threads, 0: every core), LibTorch's intra-op threads, inference mode, the device and
// precision (fp16/bf16 need a GPU), channels-last on CUDA, and the network itself. A command validates its
// flags, loads (or makes) the weights, then makes one Session and hands its parts to the stages that need
// them: the worker count to the thread pools, the network to the style bank and the stylizer.
//
// A Session holds c10::InferenceMode for its lifetime on the thread that made it: make it on the thread
// that drives the pipeline, and keep it alive while the network works.
#pragma once

#include <string>

#include <c10/core/InferenceMode.h>

#include "sinforge/model/network.h"
#include "sinforge/weights/weights.h"

namespace sinforge {

struct SessionOptions {
  std::string device = "auto";  // auto|cpu|cuda|cuda:I (device.h)
  Precision precision = Precision::kFp32;
  int threads = 0;                // 0: every core (worker_count)
  bool fuse_reflect_pad = false;  // NetworkOptions::fuse_reflect_pad
};

// The checks a command makes before any work: --threads, --device and --precision. Throws UsageError.
void check_session_options(const SessionOptions& options);

// The network's options for a session: its device and precision, channels-last where the GPU's tensor
// cores want it.
NetworkOptions network_options(const SessionOptions& options);

class Session {
 public:
  Session(const SessionOptions& options, const EncoderWeights& encoder, const DecoderWeights& decoder);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  size_t threads() const { return threads_; }  // for the decode and encode pools
  const at::Device& device() const { return network_.options().device; }
  const StyleNetwork& network() const { return network_; }

 private:
  size_t threads_;
  c10::InferenceMode inference_;  // before the network: its weights are made in inference mode
  StyleNetwork network_;
};

}  // namespace sinforge
