// Reads a PyTorch state dict (what torch.save(module.state_dict(), f) writes) without Python, in both
// torch.save formats: the legacy one (PyTorch before 1.6, or _use_new_zipfile_serialization=False; the
// official AdaIN weights) and the zip one. See docs/REFERENCE.md section 5.
#pragma once

#include <ATen/ATen.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sinforge {

// Keys in the file's order. Tensors are on the CPU, contiguous, and own their memory. Float storages load
// as float32; other storage types (double, half, long, ...) load with their own dtype so that the caller
// can report a wrong dtype by key.
using StateDict = std::vector<std::pair<std::string, at::Tensor>>;

// Tells the formats apart by their first bytes (zip: "PK\x03\x04"; legacy: "\x80\x02" then the magic
// number 0x1950a86a20f9469cfc6c). Throws WeightsError, naming the file, on any failure: missing, empty,
// truncated or garbage file, another kind of pickle, storage offsets or strides out of range.
StateDict load_state_dict(const std::filesystem::path& file);

}  // namespace sinforge
