#include "sinforge/plan/pairs_file.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include "sinforge/core/csv.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/plan/pairing.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

bool is_header(const std::vector<std::string>& row) {
  return row.size() >= 2 && row[0] == "content" && row[1] == "painting";
}

// With a header k is found by name: a manifest's third column is its output, not k.
std::optional<size_t> k_column_of(const std::vector<std::string>& header) {
  const auto k = std::find(header.begin(), header.end(), "k");
  if (k == header.end()) return std::nullopt;
  return static_cast<size_t>(k - header.begin());
}

std::optional<size_t> parse_k(const std::string& text) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<size_t>(std::stoul(text));
}

// A content's paintings as read: (k or the row's order, painting, line), put in k order at the end.
struct Listed {
  size_t order = 0;
  std::string painting;
  size_t line = 0;
};

}  // namespace

bool ExplicitPairs::several() const {
  return std::any_of(paintings_of.begin(), paintings_of.end(),
                     [](const auto& entry) { return entry.second.size() > 1; });
}

ExplicitPairs read_pairs_file(const fs::path& file) {
  const std::string where = "--pairs " + file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in || fs::is_directory(file)) throw UsageError(where + ": cannot read the file");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::vector<std::string>> rows;
  try {
    rows = parse_csv(text, CsvTail::kKeepLastRow);
  } catch (const std::exception& e) {
    throw UsageError(str_cat(where, ": ", e.what()));
  }

  std::map<std::string, std::vector<Listed>> listed;
  std::optional<size_t> header_k;
  size_t row_order = 0;
  bool header_seen = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::vector<std::string>& row = rows[i];
    const size_t line = i + 1;
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    if (is_header(row)) {
      header_k = k_column_of(row);
      header_seen = true;
      continue;
    }
    // Without a header the third field, when there is one, is k; with one, the column named k is.
    std::optional<size_t> k_column = header_k;
    if (!header_seen) {
      if (row.size() < 2 || row.size() > 3)
        throw UsageError(str_cat(where, " row ", line, ": expected content,painting[,k] (or a header row ",
                                 "naming the columns), got ", row.size(), " field",
                                 row.size() == 1 ? "" : "s"));
      if (row.size() == 3) k_column = 2;
    } else if (row.size() < std::max<size_t>(2, k_column.value_or(0) + 1)) {
      throw UsageError(str_cat(where, " row ", line, ": ", row.size(), " field", row.size() == 1 ? "" : "s",
                               ", fewer than its header names"));
    }
    const std::string& content = row[0];
    const std::string painting = fs::path(row[1]).generic_string();
    if (content.empty() || painting.empty())
      throw UsageError(str_cat(where, " row ", line, ": an empty path"));
    size_t order = row_order++;
    if (k_column) {
      const std::optional<size_t> k = parse_k(row[*k_column]);
      if (!k)
        throw UsageError(
            str_cat(where, " row ", line, ": k must be a whole number, got '", row[*k_column], "'"));
      order = *k;
    }
    std::vector<Listed>& mine = listed[fs::path(content).generic_string()];
    const auto same_painting =
        std::find_if(mine.begin(), mine.end(), [&](const Listed& l) { return l.painting == painting; });
    if (same_painting != mine.end()) {
      // The same row twice (concatenated manifests) is one pair; the same painting under two k is not.
      if (!k_column || same_painting->order == order) continue;
      throw UsageError(str_cat(where, " row ", line, ": ", content, " lists painting ", painting,
                               " twice (rows ", same_painting->line, " and ", line, ")"));
    }
    if (k_column) {
      const auto same_k =
          std::find_if(mine.begin(), mine.end(), [&](const Listed& l) { return l.order == order; });
      if (same_k != mine.end())
        throw UsageError(str_cat(where, " row ", line, ": ", content, " has k ", order, " twice (rows ",
                                 same_k->line, " and ", line, ")"));
    }
    mine.push_back({order, painting, line});
  }

  ExplicitPairs pairs;
  pairs.file = file;
  for (auto& [content, paintings] : listed) {
    std::stable_sort(paintings.begin(), paintings.end(),
                     [](const Listed& a, const Listed& b) { return a.order < b.order; });
    std::vector<std::string>& out = pairs.paintings_of[content];
    for (const Listed& l : paintings) out.push_back(l.painting);
  }
  if (pairs.paintings_of.empty()) throw UsageError(where + ": lists no pairs");
  return pairs;
}

void check_pairs_known(const ExplicitPairs& pairs, const std::vector<fs::path>& contents,
                       const std::vector<fs::path>& paintings) {
  std::set<std::string> known_contents, known_paintings;
  for (const fs::path& c : contents) known_contents.insert(c.generic_string());
  for (const fs::path& p : paintings) known_paintings.insert(p.generic_string());
  std::vector<std::string> unknown_contents;
  std::set<std::string> unknown_paintings;
  for (const auto& [content, listed] : pairs.paintings_of) {
    if (known_contents.count(content) == 0) unknown_contents.push_back(content);
    for (const std::string& p : listed) {
      if (known_paintings.count(p) == 0) unknown_paintings.insert(p);
    }
  }
  const std::string where = "--pairs " + pairs.file.string();
  std::string problems;
  if (!unknown_contents.empty()) {
    problems = str_cat(unknown_contents.size(), " content image", unknown_contents.size() == 1 ? "" : "s",
                       " not found in --content (the first: '", unknown_contents.front(), "')");
  }
  if (!unknown_paintings.empty()) {
    problems += str_cat(problems.empty() ? "" : " and ", unknown_paintings.size(), " painting",
                        unknown_paintings.size() == 1 ? "" : "s", " not found in --styles (the first: '",
                        *unknown_paintings.begin(), "')");
  }
  if (!problems.empty()) {
    throw UsageError(str_cat(where, " names ", problems,
                             "; its paths are relative to --content and --styles, with the extensions of "
                             "--extensions"));
  }
}

std::string pairs_digest(const ExplicitPairs& pairs) {
  std::string all;
  size_t count = 0;
  for (const auto& [content, paintings] : pairs.paintings_of) {
    for (const std::string& p : paintings) {
      all += csv_row({content, p});
      ++count;
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(stable_hash(all, 0)));
  return std::to_string(count) + ":" + hex;
}

}  // namespace sinforge
