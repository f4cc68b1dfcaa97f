// The pipeline's queue depths, named in one place. Each says how far one stage may run ahead of the next:
// deeper keeps the slower stage fed through bursts, shallower bounds host memory and what a kill loses.
//
//   scan -> plan -> decode ==[decode_ahead]==> batch buckets ==[bucket deadline]==> model
//        -> encode ==[encode_ahead]==> write ==[sync threads]==> fsync, rename -> record
//   paintings: decode ==[style_decode_ahead]==> buckets ==[style deadline]==> encoder (style_batch at once)
#pragma once

#include <cstddef>

namespace sinforge {

struct QueueDepths {
  // Content images decoded ahead of the network: the larger of this many batches and this many per
  // decoding thread (a small batch on many cores still keeps every decoder busy).
  size_t decode_ahead_batches = 2;
  size_t decode_ahead_per_thread = 2;
  // A bucket of one image size is run, full or not, once this many batches' worth of further inputs came
  // after its first image (size_batcher.h); decoded images wait in host memory meanwhile. On the
  // ImageNet-like mix at batch 128 (sinforge bench's batching table, docs/PERFORMANCE.md) a deadline of 4
  // batches puts 41 % of the images into full batches, 16 batches 63 %, 64 batches 72 %: a GPU waits 16
  // (at most 2,048 decoded images, about 1 GB at 500x375); the CPU, which gains nothing from batching, 4.
  size_t bucket_deadline_batches_cpu = 4;
  size_t bucket_deadline_batches_gpu = 16;
  // Results waiting to be encoded and written, per encoding thread, before the network waits for them.
  size_t encode_ahead_per_thread = 4;
  // Threads per encoding thread that wait for the disk (fsync, rename) while the encoders go on: they sleep
  // in the kernel, so two each keep a 5,000 files/s fsync rate (about 0.3 ms a file here) off the cores.
  size_t sync_threads_per_encoder = 2;
  // Paintings decoded and converted ahead of the network, per thread; on a GPU, paintings of one size are
  // encoded together, up to style_batch at once (less where memory is short), and a size waits at most
  // style_deadline_batches batches' worth of further paintings for company.
  size_t style_decode_ahead_per_thread = 2;
  int style_batch = 32;
  size_t style_deadline_batches = 4;
  // sinforge derive: content images derived ahead of the writer, per thread. A patched content is 200
  // images, so the window bounds host memory.
  size_t derive_ahead_per_thread = 2;
};

inline constexpr QueueDepths kQueueDepths{};

}  // namespace sinforge
