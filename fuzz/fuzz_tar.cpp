// The tar reader of resume and verify (output/tar_file.h read_tar, through libarchive): any bytes are read
// member by member or refused with std::runtime_error. The input goes through a file, as read_tar takes one.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz_input_file.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path file = sinforge::fuzz::write_input(data, size, "input.tar");
  if (file.empty()) return 0;
  try {
    sinforge::read_tar(
        file, [](const std::string& name) { return name.ends_with(".json") || name.ends_with(".cls"); },
        [](const std::string& name, const std::string&) {
          std::string key, ext;
          (void)sinforge::split_member_name(name, key, ext);
        });
  } catch (const std::runtime_error&) {
  }
  return 0;
}
