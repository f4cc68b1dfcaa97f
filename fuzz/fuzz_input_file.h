// The fuzz input as a file, for the readers that take a path (weights, tars, banks, presets, settings): one
// file per process under /dev/shm (memory, so the fuzzer is not slowed by a disk), rewritten per input.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace sinforge::fuzz {

// The folder of this process's input files, made once.
inline const std::filesystem::path& input_folder() {
  static const std::filesystem::path folder = [] {
    std::filesystem::path f = "/dev/shm/sinforge-fuzz-" + std::to_string(::getpid());
    std::filesystem::create_directories(f);
    std::atexit([] {  // a crash leaves it, with the input that caused it beside the fuzzer's own copy
      std::error_code ec;
      std::filesystem::remove_all(input_folder(), ec);
    });
    return f;
  }();
  return folder;
}

// Writes the input to <input_folder>/name and returns that path; empty if it cannot be written.
inline std::filesystem::path write_input(const uint8_t* data, size_t size, const std::string& name) {
  const std::filesystem::path file = input_folder() / name;
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f == nullptr) return {};
  const bool written = size == 0 || std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && written ? file : std::filesystem::path();
}

}  // namespace sinforge::fuzz
