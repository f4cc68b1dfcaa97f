// The CSV rules shared by the records and --pairs: quoting round trips, and the two readings of a file's
// tail (a journal drops a torn row; a hand-written file keeps its last row, newline or not).
#include "sinforge/core/csv.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sinforge {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(Csv, QuotedFieldsRoundTrip) {
  const std::vector<std::string> fields = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""};
  const std::string text = csv_row(fields) + csv_row({"x", "y"});
  EXPECT_EQ(parse_csv(text, CsvTail::kDropTorn), (Rows{fields, {"x", "y"}}));
  EXPECT_EQ(parse_csv(text, CsvTail::kKeepLastRow), (Rows{fields, {"x", "y"}}));
}

TEST(Csv, AJournalDropsItsTornRowAHandWrittenFileKeepsItsLastRow) {
  const std::string text = "content,painting\r\na.jpg,p.jpg\nb.jpg,q.jpg";
  EXPECT_EQ(parse_csv(text, CsvTail::kDropTorn), (Rows{{"content", "painting"}, {"a.jpg", "p.jpg"}}));
  EXPECT_EQ(parse_csv(text, CsvTail::kKeepLastRow),
            (Rows{{"content", "painting"}, {"a.jpg", "p.jpg"}, {"b.jpg", "q.jpg"}}));
}

TEST(Csv, AnOpenQuoteAtTheEndOfAHandWrittenFileIsAnError) {
  EXPECT_EQ(parse_csv("a,b\n\"half", CsvTail::kDropTorn), (Rows{{"a", "b"}}));
  EXPECT_THROW(parse_csv("a,b\n\"half", CsvTail::kKeepLastRow), std::runtime_error);
}

}  // namespace
}  // namespace sinforge
