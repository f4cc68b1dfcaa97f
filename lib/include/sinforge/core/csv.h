// CSV as every sinforge record writes and reads it: RFC 4180 quoting (a field holding a comma, quote, CR or
// newline is quoted, quotes doubled), rows ending in '\n', a '\r' outside quotes ignored.
//
// One parser for two kinds of file: the journals a run appends to (records.h), where text after the last
// newline is a row torn by a kill and is dropped, and files people write (--pairs, pairs_file.h), whose
// last row may well lack its newline and must not vanish.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sinforge {

// One row, quoted as needed, with its '\n'.
std::string csv_row(const std::vector<std::string>& fields);

enum class CsvTail {
  kDropTorn,     // a journal: text after the last newline is a torn row, dropped
  kKeepLastRow,  // a hand-written file: text after the last newline is a row; an open quote there throws
};

// The rows of text. With kKeepLastRow a quote still open at the end throws std::runtime_error.
std::vector<std::vector<std::string>> parse_csv(std::string_view text, CsvTail tail);

}  // namespace sinforge
