#include "sinforge/shape_bias/human_categories.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>
#include <stdexcept>

#include "sinforge/core/log.h"

namespace sinforge {
namespace detail {
extern const char kHumanCategoriesCsv[];  // human_categories_csv.cpp, generated from the CSV
}  // namespace detail

namespace {

[[noreturn]] void fail(const std::string& source, int line, const std::string& what) {
  throw std::runtime_error(str_cat(source, ":", line, ": ", what));
}

std::vector<int64_t> parse_indices(const std::string& text, const std::string& source, int line) {
  std::vector<int64_t> indices;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    int64_t value = -1;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc() || end != word.data() + word.size())
      fail(source, line, "'" + word + "' is not an index");
    if (value < 0 || value >= kImageNetClassCount)
      fail(source, line, str_cat(value, " is outside [0, 1000)"));
    indices.push_back(value);
  }
  if (indices.empty()) fail(source, line, "a class without ImageNet indices");
  return indices;
}

HumanCategory parse_line(const std::string& line, const std::string& source, int number) {
  const size_t comma = line.find(',');
  if (comma == std::string::npos || comma == 0) fail(source, number, "expected class,indices");
  return {line.substr(0, comma), parse_indices(line.substr(comma + 1), source, number)};
}

// Every index in at most one class; classes unique and alphabetical.
void check_line(const std::vector<HumanCategory>& so_far, const HumanCategory& next, std::set<int64_t>& seen,
                const std::string& source, int number) {
  if (!so_far.empty() && !(so_far.back().name < next.name))
    fail(source, number, "class '" + next.name + "' is out of alphabetical order or repeated");
  for (const int64_t index : next.imagenet_indices)
    if (!seen.insert(index).second) fail(source, number, str_cat("index ", index, " is listed twice"));
}

}  // namespace

std::vector<HumanCategory> parse_human_categories(std::string_view csv, const std::string& source) {
  std::istringstream lines{std::string(csv)};
  std::vector<HumanCategory> categories;
  std::set<int64_t> seen;
  bool header = false;
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    if (!header) {
      if (line != "class,imagenet_indices")
        fail(source, number, "expected the header class,imagenet_indices");
      header = true;
      continue;
    }
    HumanCategory category = parse_line(line, source, number);
    check_line(categories, category, seen, source, number);
    categories.push_back(std::move(category));
  }
  if (categories.size() != kHumanCategoryCount)
    fail(source, number, str_cat(categories.size(), " classes, expected ", kHumanCategoryCount));
  return categories;
}

const std::vector<HumanCategory>& human_categories() {
  static const std::vector<HumanCategory> table = parse_human_categories(
      detail::kHumanCategoriesCsv, "configs/shape_bias/human_categories.csv (built in)");
  return table;
}

int human_category_index(std::string_view name) {
  const auto& table = human_categories();
  for (size_t i = 0; i < table.size(); ++i)
    if (table[i].name == name) return static_cast<int>(i);
  return -1;
}

at::Tensor human_category_probabilities(const at::Tensor& logits) {
  const at::Tensor probabilities = at::softmax(logits.to(at::kFloat), 1).cpu();
  std::vector<at::Tensor> means;
  for (const HumanCategory& category : human_categories()) {
    const at::Tensor indices = at::tensor(category.imagenet_indices, at::kLong);
    means.push_back(probabilities.index_select(1, indices).mean(1));
  }
  return at::stack(means, 1);
}

std::vector<int> decide_human_categories(const at::Tensor& logits) {
  const at::Tensor scores = human_category_probabilities(logits).contiguous();
  const int64_t rows = scores.size(0);
  std::vector<int> decisions(static_cast<size_t>(rows));
  const auto a = scores.accessor<float, 2>();
  for (int64_t n = 0; n < rows; ++n) {
    int best = 0;  // strictly greater replaces: a tie keeps the earlier (alphabetical) class
    for (int c = 1; c < kHumanCategoryCount; ++c)
      if (a[n][c] > a[n][best]) best = c;
    decisions[static_cast<size_t>(n)] = best;
  }
  return decisions;
}

}  // namespace sinforge
