// `sinforge bench`'s figures of `sinforge derive` (bench.h), which the issue that made derive asks of it:
// derived sets are cheap beside decoding, so the whole command must be no slower than decode + encode of
// the same images. On ImageNet-like mixed content (the stylization figures' mix, files in one class folder):
//   derive/decode_crop_encode   the floor: each content decoded, Resize(256) + CenterCrop(224), encoded as
//                               JPEG and written, on a pool of the bench's threads; images per second
//   derive/<variant>/derive     the variant's derivations of one 224x224 crop, one thread; outputs per second
//   derive/<variant>/command    run_derive over the whole content folder (decode once, derive, encode and
//                               write every output, the journal), default flags; outputs per second
// The ratio command / decode_crop_encode is the "no slower" figure (docs/PERFORMANCE.md).
#pragma once

#include <filesystem>

#include "bench_harness.h"

namespace sinforge::bench {

void register_derive_figures(Registrar& reg, const std::filesystem::path& scratch, size_t images,
                             int threads);

}  // namespace sinforge::bench
