#include "sinforge/model/session.h"

#include <ATen/Parallel.h>

#include "sinforge/core/device.h"
#include "sinforge/core/thread_pool.h"

namespace sinforge {
namespace {

// LibTorch's intra-op threads follow the worker count; returns it, so the member order stays the setup's.
size_t set_intra_op_threads(int requested) {
  const size_t threads = worker_count(requested);
  at::set_num_threads(static_cast<int>(threads));
  return threads;
}

}  // namespace

void check_session_options(const SessionOptions& options) {
  check_thread_flag(options.threads);
  check_precision_for_device(options.precision, parse_device(options.device));
}

NetworkOptions network_options(const SessionOptions& options) {
  NetworkOptions n;
  n.device = parse_device(options.device);
  n.precision = options.precision;
  n.channels_last = n.device.is_cuda();
  n.fuse_reflect_pad = options.fuse_reflect_pad;
  return n;
}

Session::Session(const SessionOptions& options, const EncoderWeights& encoder, const DecoderWeights& decoder)
    : threads_(set_intra_op_threads(options.threads)), network_(encoder, decoder, network_options(options)) {}

}  // namespace sinforge
