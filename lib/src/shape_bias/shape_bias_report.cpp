#include "sinforge/shape_bias/shape_bias_report.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

namespace sinforge {
namespace {

// A ratio for the table: three decimals, or "-" where it is not defined.
std::string cell(double value) {
  if (std::isnan(value)) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << value;
  return out.str();
}

void print_row(std::ostream& out, const std::string& name, const ShapeBiasTally& t) {
  out << std::left << std::setw(10) << name << std::right << std::setw(8) << t.images() << std::setw(8)
      << t.shape << std::setw(9) << t.texture << std::setw(7) << t.other << std::setw(12)
      << cell(t.shape_bias()) << std::setw(13) << cell(t.shape_share()) << std::setw(15)
      << cell(t.texture_share()) << '\n';
}

nlohmann::json number_or_null(double value) {
  return std::isnan(value) ? nlohmann::json() : nlohmann::json(value);
}

nlohmann::json tally_json(const ShapeBiasTally& t) {
  return {{"images", t.images()},
          {"shape", t.shape},
          {"texture", t.texture},
          {"other", t.other},
          {"shape_bias", number_or_null(t.shape_bias())},
          {"shape_share", number_or_null(t.shape_share())},
          {"texture_share", number_or_null(t.texture_share())}};
}

}  // namespace

void print_shape_bias(const ShapeBiasReport& report, std::ostream& out) {
  const ShapeBiasTally total = report.total();
  out << "shape bias " << cell(total.shape_bias()) << " = " << total.shape << " shape / (" << total.shape
      << " shape + " << total.texture << " texture decisions); model " << report.model.string() << "\n\n";
  out << "class       images   shape  texture  other  shape-bias  shape-share  texture-share\n";
  const auto& categories = human_categories();
  for (size_t c = 0; c < categories.size(); ++c) print_row(out, categories[c].name, report.per_class[c]);
  print_row(out, "all", total);
  out << '\n'
      << total.images() << " cue-conflict images decided, " << report.same_class_left_out
      << " left out (shape class = texture class), " << report.skipped.size() << " unreadable skipped, "
      << report.not_images.size() << " files ignored (not .png)\n";
  for (const SkippedStimulus& s : report.skipped)
    out << "skipped: " << s.path.string() << ": " << s.reason << '\n';
  for (const auto& p : report.not_images) out << "ignored: " << p.string() << '\n';
}

nlohmann::json shape_bias_json(const ShapeBiasReport& report) {
  nlohmann::json per_class = nlohmann::json::object();
  const auto& categories = human_categories();
  for (size_t c = 0; c < categories.size(); ++c)
    per_class[categories[c].name] = tally_json(report.per_class[c]);
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedStimulus& s : report.skipped)
    skipped.push_back({{"path", s.path.string()}, {"reason", s.reason}});
  nlohmann::json ignored = nlohmann::json::array();
  for (const auto& p : report.not_images) ignored.push_back(p.string());
  const ShapeBiasTally total = report.total();
  return {{"model", report.model.string()},
          {"stimuli", report.stimuli.string()},
          {"shape_bias", number_or_null(total.shape_bias())},
          {"total", tally_json(total)},
          {"per_class", per_class},
          {"left_out_same_class", report.same_class_left_out},
          {"resized", report.resized},
          {"skipped", skipped},
          {"ignored_not_png", ignored}};
}

}  // namespace sinforge
