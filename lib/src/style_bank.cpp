#include "sinforge/style_bank.h"

#include <string>

#include "sinforge/image_io.h"
#include "sinforge/log.h"
#include "sinforge/ordered_loader.h"
#include "sinforge/tensor_image.h"

namespace sinforge {
namespace {

struct PreparedPainting {
  size_t index = 0;
  cv::Mat image;
  std::string error;
};

PreparedPainting load_painting(const std::filesystem::path& file, size_t index, const StyleRecipe& recipe) {
  PreparedPainting p{index, {}, {}};
  try {
    // A painting the recipe shrinks anyway is decoded at reduced scale (image_io.h): tens of megapixels
    // would otherwise cost seconds and gigabytes each.
    const cv::Mat decoded = read_image_reduced(file, style_decode_min_side(recipe));
    p.error = below_min_size_reason(decoded, recipe);
    if (!p.error.empty()) return p;
    p.image = prepare_style(decoded, recipe);
    p.error = too_small_reason(p.image);
  } catch (const std::exception& e) {
    p.error = e.what();
  }
  return p;
}

}  // namespace

StyleBank encode_paintings(const std::filesystem::path& styles_dir,
                           const std::vector<std::filesystem::path>& found, const StyleRecipe& recipe,
                           const StyleNetwork& net, ThreadPool& pool, std::vector<SkippedInput>& skipped) {
  StyleBank bank;
  std::vector<at::Tensor> means, stds;
  OrderedLoader<PreparedPainting> loader(pool, found.size(), pool.size() * 2, [&](size_t i) {
    return load_painting(styles_dir / found[i], i, recipe);
  });
  PreparedPainting p;
  while (loader.next(p)) {
    const std::filesystem::path path = styles_dir / found[p.index];
    if (!p.error.empty()) {
      log::warn(str_cat("painting skipped: ", path.string(), ": ", p.error));
      skipped.push_back({"painting", found[p.index], p.error});
      continue;
    }
    // One painting at a time: paintings differ in size, and each is encoded only once.
    const auto [m, s] = net.style_statistics(images_to_tensor({p.image}));
    means.push_back(m[0]);
    stds.push_back(s[0]);
    bank.paintings.push_back(found[p.index]);
  }
  if (!bank.paintings.empty()) {
    bank.mean = at::stack(means);
    bank.std = at::stack(stds);
  }
  return bank;
}

}  // namespace sinforge
