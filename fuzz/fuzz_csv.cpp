// The CSV reader (core/csv.h) in both its modes: the journals (manifest, skipped) as a rerun or verify reads
// them, and hand-written files (--pairs). Any text parses (a hand-written file may refuse an open quote with
// std::runtime_error); each row either becomes a manifest entry or is refused with std::runtime_error; a
// row written by csv_row reads back as itself.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "sinforge/core/csv.h"
#include "sinforge/records/records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)sinforge::parse_csv(text, sinforge::CsvTail::kKeepLastRow);
  } catch (const std::runtime_error&) {
  }
  const auto rows = sinforge::parse_csv(text, sinforge::CsvTail::kDropTorn);
  for (const auto& row : rows) {
    try {
      (void)sinforge::manifest_entry(row, "fuzz");
    } catch (const std::runtime_error&) {
    }
    if (row.empty()) continue;
    const auto again = sinforge::parse_csv(sinforge::csv_row(row), sinforge::CsvTail::kDropTorn);
    if (again.size() != 1 || again[0] != row) __builtin_trap();  // quoting round trip
  }
  return 0;
}
