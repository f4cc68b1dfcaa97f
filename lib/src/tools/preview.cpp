#include "sinforge/tools/preview.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/device.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/image/image_format.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/resize.h"
#include "sinforge/image/tar_source.h"
#include "sinforge/image/tensor_image.h"
#include "sinforge/plan/cue_conflict_plan.h"
#include "sinforge/plan/pairing.h"
#include "sinforge/plan/scan.h"
#include "sinforge/plan/tar_scan.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// Mixed into the seed so the sample is not correlated with the pairing, which hashes the same paths.
constexpr uint64_t kSampleSalt = 0x70726576696577ULL;  // "preview"

ImageFormat format_for(const fs::path& file) {
  if (const std::optional<ImageFormat> format = image_format_of(file)) return *format;
  throw UsageError("--out " + file.string() + ": the sheet must end in .jpg, .jpeg or .png");
}

cv::Mat scale_to_height(const cv::Mat& rgb, int height) {
  if (rgb.rows == height) return rgb;
  const double scale = static_cast<double>(height) / rgb.rows;
  const int width = std::max(1, static_cast<int>(std::lround(rgb.cols * scale)));
  return resize_pillow(rgb, width, height, ResampleFilter::kBilinear);
}

// The content images as the run lists them: a folder tree's scan, or the samples of tar shards by the paths
// they would extract to (which pairing hashes, as the run does), with the tars they are read from.
struct PreviewContents {
  std::vector<fs::path> relative;
  std::optional<TarScan> tars;
  std::map<fs::path, const TarSample*> sample_of;  // tars: each relative path's sample
};

PreviewContents scan_contents(const RunOptions& o) {
  PreviewContents c;
  if (!names_tar_shards(o.content_dir.string())) {
    c.relative = scan_images(o.content_dir, o.extensions);
    return c;
  }
  c.tars = scan_content_tars(o);
  for (const TarSample& s : c.tars->samples) {
    c.relative.push_back(s.relative);
    c.sample_of.emplace(s.relative, &s);
  }
  return c;
}

// A content image's pixels: its file, or its member streamed from its tar up to it (a preview reads a few
// samples, so a tar is read from its start for each rather than all of them in one pass).
cv::Mat read_content(const RunOptions& o, const PreviewContents& contents, const fs::path& content) {
  if (!contents.tars) return read_image(o.content_dir / content);
  const TarSample& s = *contents.sample_of.at(content);
  TarContentSource source({contents.tars->tars[s.tar]}, {{0, s.member}});
  const std::string bytes = source.read(0);
  return decode_image(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
                      tar_member_label(contents.tars->tars[s.tar], s.member));
}

// One row's three images, or empty with the reason logged. The recipes are the run's own (o.content,
// o.style: crop, filter, the final shrink) and so is the painting's decode (reduced as the style bank
// decodes it), so that the result is what the run writes.
std::optional<std::array<cv::Mat, 3>> stylize_sample(const RunOptions& o, const PreviewContents& contents,
                                                     const fs::path& content, const fs::path& painting,
                                                     const StyleNetwork& net) {
  try {
    const cv::Mat image = prepare_content(read_content(o, contents, content), o.content);
    const cv::Mat style =
        prepare_style(read_image_reduced(o.styles_dir / painting, style_decode_min_side(o.style)), o.style);
    for (const auto& [mat, path] : {std::pair{&image, content}, std::pair{&style, painting}}) {
      const std::string reason = too_small_reason(*mat);
      if (!reason.empty()) throw DecodeError(path.string() + ": " + reason);
    }
    const auto [mean, std] = net.style_statistics(images_to_tensor({style}));
    const at::Tensor features = net.encoder()(images_to_tensor({image}));
    const at::Tensor index = at::zeros({1}, at::kLong).to(net.options().device);
    const at::Tensor out = net.stylize_features(features, mean, std, index, o.alpha);
    return std::array<cv::Mat, 3>{image, style,
                                  finish_output(tensor_to_images(out, image.cols, image.rows)[0], o.content)};
  } catch (const std::exception& e) {
    log::warn(str_cat("preview: sample passed over (", content.string(), " with ", painting.string(),
                      "): ", e.what()));
    return std::nullopt;
  }
}

// The paintings the run pairs over, as far as their sizes tell: those under --style-min-size are left out
// before pairing (style_bank.cpp), so the preview must leave them out too or it pairs differently. Sizes
// come from the headers (read_image_size), far cheaper than the run's encoding of every painting.
std::vector<fs::path> paintings_for_pairing(const RunOptions& o, std::vector<fs::path> paintings) {
  if (o.style.min_size <= 0) return paintings;
  std::vector<fs::path> kept;
  for (fs::path& p : paintings) {
    const std::optional<cv::Size> size = read_image_size(o.styles_dir / p);
    if (size && (size->width < o.style.min_size || size->height < o.style.min_size)) continue;
    kept.push_back(std::move(p));
  }
  return kept;
}

}  // namespace

void validate(const PreviewOptions& p) {
  const RunOptions& o = p.run;
  validate_inputs(o);
  if (p.out_file.empty()) throw UsageError("--out is required");
  if (fs::is_directory(p.out_file)) throw UsageError("--out " + p.out_file.string() + " is a folder");
  format_for(p.out_file);
  if (p.samples < 1) throw UsageError("-n must be at least 1");
  if (p.tile_height < kMinImageSide)
    throw UsageError(str_cat("--tile-height must be at least ", kMinImageSide));
  validate_recipe(o);
  check_session_options(o.session);
}

std::vector<fs::path> sample_order(const std::vector<fs::path>& contents, uint64_t seed) {
  std::vector<std::pair<uint64_t, fs::path>> keyed;
  for (const fs::path& p : contents)
    keyed.emplace_back(stable_hash(p.generic_string(), seed ^ kSampleSalt), p);
  std::sort(keyed.begin(), keyed.end());
  std::vector<fs::path> order;
  for (auto& [key, path] : keyed) order.push_back(std::move(path));
  return order;
}

cv::Mat contact_sheet(const std::vector<std::array<cv::Mat, 3>>& rows, int tile_height) {
  std::vector<std::array<cv::Mat, 3>> tiles;
  std::array<int, 3> column_width{0, 0, 0};
  for (const auto& row : rows) {
    std::array<cv::Mat, 3> scaled;
    for (size_t c = 0; c < 3; ++c) {
      scaled[c] = scale_to_height(row[c], tile_height);
      column_width[c] = std::max(column_width[c], scaled[c].cols);
    }
    tiles.push_back(std::move(scaled));
  }
  const int rows_count = static_cast<int>(rows.size());
  const int width = column_width[0] + column_width[1] + column_width[2] + 4 * kPreviewGap;
  const int height = rows_count * tile_height + (rows_count + 1) * kPreviewGap;
  // Dark grey: tiles stay distinct from white or black image borders.
  cv::Mat sheet(height, width, CV_8UC3, cv::Scalar(40, 40, 40));
  for (int r = 0; r < rows_count; ++r) {
    int x = kPreviewGap;
    const int y = kPreviewGap + r * (tile_height + kPreviewGap);
    for (size_t c = 0; c < 3; ++c) {
      const cv::Mat& tile = tiles[static_cast<size_t>(r)][c];
      tile.copyTo(sheet(cv::Rect(x, y, tile.cols, tile.rows)));
      x += column_width[c] + kPreviewGap;
    }
  }
  return sheet;
}

std::vector<PreviewRow> run_preview(const PreviewOptions& p) {
  validate(p);
  const RunOptions& o = p.run;
  const EncoderWeights encoder_weights = load_encoder_weights(o.vgg);
  const DecoderWeights decoder_weights = load_decoder_weights(o.decoder);
  const PreviewContents contents = scan_contents(o);
  const std::vector<fs::path> paintings = paintings_for_pairing(o, scan_images(o.styles_dir, o.extensions));
  if (contents.relative.empty())
    throw UsageError("--content " + o.content_dir.string() + ": no images found");
  if (paintings.empty()) {
    throw UsageError(
        "--styles " + o.styles_dir.string() + ": no images found" +
        (o.style.min_size > 0 ? str_cat(" of at least ", o.style.min_size, " pixels on a side") : ""));
  }
  if (o.cue_conflict) check_cue_conflict_inputs(contents.relative, paintings, 1);

  const Session session(o.session, encoder_weights, decoder_weights);
  const StyleNetwork& net = session.network();

  std::vector<PreviewRow> drawn;
  std::vector<std::array<cv::Mat, 3>> rows;
  for (const fs::path& content : sample_order(contents.relative, o.seed)) {
    if (rows.size() == p.samples) break;
    // The run's pairing (pairing.h, or cue_conflict_plan.h), one style per image.
    const fs::path& painting =
        paintings[o.cue_conflict ? pick_other_class_paintings(o.seed, content, paintings, 1)[0]
                                 : pick_paintings(o.seed, content.generic_string(), paintings.size(), 1)[0]];
    if (auto row = stylize_sample(o, contents, content, painting, net)) {
      rows.push_back(std::move(*row));
      drawn.push_back({content, painting});
    }
  }
  if (rows.empty()) throw std::runtime_error("no sample could be stylized (see the warnings above)");
  const cv::Mat sheet = contact_sheet(rows, p.tile_height);
  write_file_atomic(p.out_file, encode_image(sheet, format_for(p.out_file), 90));
  return drawn;
}

}  // namespace sinforge
