// The pickle reader of the .pth files (weights/pickle.h), both formats' pickles (the legacy file's five and
// the zip's data.pkl are the same kind of program): any bytes either parse or throw PickleError, and what
// parses can be listed (globals, the allowlist's input) and described without a fault.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sinforge/weights/pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // A legacy file is several pickles back to back: parse them in turn, as the loader does.
  for (int i = 0; i < 6 && !bytes.empty(); ++i) {
    try {
      const sinforge::pickle::Document doc = sinforge::pickle::parse(bytes);
      (void)doc.globals();
      (void)sinforge::pickle::describe(doc.root());
      if (doc.end_offset() == 0 || doc.end_offset() > bytes.size()) __builtin_trap();  // parse's contract
      bytes.remove_prefix(doc.end_offset());
    } catch (const sinforge::pickle::PickleError&) {
      break;
    }
  }
  return 0;
}
