// The 16 entry-level classes of the cue-conflict (shape bias) test and the decision rule that maps an
// ImageNet classifier's 1,000 logits onto them. The class -> ImageNet index lists are data,
// configs/shape_bias/human_categories.csv (from bethgelab/model-vs-human; see the README beside it), compiled
// into the library so an installed binary needs no file at run time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <ATen/ATen.h>

namespace sinforge {

inline constexpr int kHumanCategoryCount = 16;
inline constexpr int64_t kImageNetClassCount = 1000;

struct HumanCategory {
  std::string name;                       // "airplane", ..., "truck"
  std::vector<int64_t> imagenet_indices;  // 0-based, in [0, 1000)
};

// Parses the CSV's text: '#' comment lines, the header "class,imagenet_indices", then one line per class
// with its indices separated by spaces. Throws std::runtime_error naming source and the line for anything
// else: a bad number, an index outside [0, 1000) or in two classes, a class twice, not exactly 16 classes,
// classes out of alphabetical order (model-vs-human sorts them; the decision's tie rule depends on it).
std::vector<HumanCategory> parse_human_categories(std::string_view csv, const std::string& source);

// The compiled-in table, in alphabetical order.
const std::vector<HumanCategory>& human_categories();

// The class's position in human_categories(), or -1 when name is none of the 16.
int human_category_index(std::string_view name);

// The 16 classes' scores: for each, the mean over its ImageNet indices of softmax(logits). logits: [N, 1000]
// on any device; returns float32 [N, 16] on the CPU.
at::Tensor human_category_probabilities(const at::Tensor& logits);

// The decision for each row of logits [N, 1000]: the class (index into human_categories()) with the highest
// mean probability; on an exact tie the first in alphabetical order.
std::vector<int> decide_human_categories(const at::Tensor& logits);

}  // namespace sinforge
