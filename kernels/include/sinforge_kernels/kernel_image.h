// Whether this library's kernels can run on a GPU: the CUDA runtime's own answer, asked of a kernel compiled
// with the same architecture flags as every other kernel here. No LibTorch, no CLI.
#pragma once

#include <cuda_runtime_api.h>

namespace sinforge::kernels {

// cudaSuccess when the library holds machine code for `device` or PTX its driver compiles (binary_version
// then gets the architecture of the code that will run, e.g. 86); cudaErrorNoKernelImageForDevice,
// cudaErrorUnsupportedPtxVersion or the like when it does not. Leaves no sticky error behind.
cudaError_t probe_kernel_image(int device, int* binary_version);

}  // namespace sinforge::kernels
