// The probe of kernel_image.h: a kernel that does nothing, built into the same fat binary as the others.
#include "sinforge_kernels/kernel_image.h"

namespace sinforge::kernels {
namespace {

__global__ void probe_kernel() {}

}  // namespace

cudaError_t probe_kernel_image(int device, int* binary_version) {
  int previous = 0;
  cudaError_t status = cudaGetDevice(&previous);
  if (status != cudaSuccess) return status;
  status = cudaSetDevice(device);
  cudaFuncAttributes attributes{};
  if (status == cudaSuccess) status = cudaFuncGetAttributes(&attributes, probe_kernel);
  if (status == cudaSuccess && binary_version != nullptr) *binary_version = attributes.binaryVersion;
  (void)cudaGetLastError();  // a missing image must not poison the next launch of LibTorch's
  (void)cudaSetDevice(previous);
  return status;
}

}  // namespace sinforge::kernels
