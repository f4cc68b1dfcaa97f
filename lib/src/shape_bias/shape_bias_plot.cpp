#include "sinforge/shape_bias/shape_bias_plot.h"

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"

#ifdef SINFORGE_HAVE_PLPLOT
#include <plplot.h>
#endif

namespace sinforge {

#ifndef SINFORGE_HAVE_PLPLOT

bool shape_bias_plot_available() { return false; }

void plot_shape_bias(const ShapeBiasReport&, const std::filesystem::path& png) {
  throw UsageError("--plot " + png.string() + ": this sinforge was built without PLplot (libplplot-dev)");
}

#else

namespace {

constexpr PLINT kBlack = 1, kGrey = 2, kMarker = 3;  // colour map 0 slots set in start_page
constexpr int kWidthPx = 1000, kHeightPx = 1100;

// PLplot asks on stdin for a device when the one named is missing: check first, fail with a message.
void require_png_driver() {
  constexpr int kMaxDevices = 128;
  std::vector<const char*> menus(kMaxDevices), devices(kMaxDevices);
  const char** menu_data = menus.data();
  const char** device_data = devices.data();
  int count = kMaxDevices;
  plgDevs(&menu_data, &device_data, &count);
  for (int i = 0; i < count; ++i)
    if (std::string(device_data[i]) == "pngcairo") return;
  throw UsageError("--plot: PLplot has no pngcairo driver here (Debian: install plplot-driver-cairo)");
}

// PLplot ends the process when it cannot open its output: find out first, and say so.
void require_writable(const std::filesystem::path& png) {
  std::ofstream probe(png, std::ios::binary);
  if (!probe) throw std::runtime_error("--plot: cannot write " + png.string());
}

void start_page(const std::filesystem::path& png) {
  plsdev("pngcairo");
  plsfnam(png.string().c_str());
  plspage(0, 0, kWidthPx, kHeightPx, 0, 0);
  plscolbg(255, 255, 255);
  plscol0(kBlack, 0, 0, 0);
  plscol0(kGrey, 150, 150, 150);
  plscol0(kMarker, 165, 30, 55);  // the red of the paper's ResNet-50 markers
  plinit();
  pladv(0);
  plvpor(0.2, 0.92, 0.12, 0.84);
}

// Bottom axis: fraction of texture decisions, 0 -> 1; top axis: fraction of shape decisions, 1 -> 0.
void draw_axes(double rows) {
  plcol0(kBlack);
  plwind(0, 1, -0.5, rows - 0.5);
  plbox("bcnst", 0.1, 0, "bc", 0, 0);
  plmtex("b", 3.2, 0.5, 0.5, "Fraction of 'texture' decisions");
  plwind(1, 0, -0.5, rows - 0.5);
  plbox("cmst", 0.1, 0, "", 0, 0);
  plmtex("t", 3.2, 0.5, 0.5, "Fraction of 'shape' decisions");
  plwind(0, 1, -0.5, rows - 0.5);
}

// One row per class, the first at the top, separated by dotted lines.
void draw_rows(const std::vector<HumanCategory>& categories) {
  const int rows = static_cast<int>(categories.size());
  plcol0(kGrey);
  pllsty(3);
  for (int i = 0; i + 1 < rows; ++i) {
    PLFLT x[2] = {0, 1}, y[2] = {i + 0.5, i + 0.5};
    plline(2, x, y);
  }
  pllsty(1);
  plcol0(kBlack);
  for (int i = 0; i < rows; ++i)
    plmtex("lv", 1.0, (rows - 1 - i + 0.5) / rows, 1.0, categories[static_cast<size_t>(i)].name.c_str());
  plmtex("l", 9.0, 0.5, 0.5, "Shape categories");
}

void draw_markers(const ShapeBiasReport& report, int rows) {
  plcol0(kMarker);
  const double overall = report.total().shape_bias();
  if (!std::isnan(overall)) {
    PLFLT x[2] = {1 - overall, 1 - overall}, y[2] = {-0.5, rows - 0.5};
    plwidth(2);
    plline(2, x, y);
    plwidth(1);
  }
  plssym(0, 2.5);
  for (int i = 0; i < rows; ++i) {
    const double bias = report.per_class[static_cast<size_t>(i)].shape_bias();
    if (std::isnan(bias)) continue;  // no shape or texture decision in this class: nothing to place
    PLFLT x = 1 - bias, y = rows - 1 - i;
    plpoin(1, &x, &y, 17);  // a filled circle
  }
}

void draw_title(const ShapeBiasReport& report) {
  plcol0(kBlack);
  const double bias = report.total().shape_bias();
  const std::string title = std::isnan(bias)
                                ? std::string("shape bias: undefined (no shape or texture decision)")
                                : str_cat("shape bias ", std::round(bias * 1000) / 1000, "  (",
                                          report.model.filename().string(), ")");
  plmtex("t", 6.0, 0.5, 0.5, title.c_str());
}

}  // namespace

bool shape_bias_plot_available() { return true; }

void plot_shape_bias(const ShapeBiasReport& report, const std::filesystem::path& png) {
  require_png_driver();
  require_writable(png);
  const auto& categories = human_categories();
  const int rows = static_cast<int>(categories.size());
  start_page(png);
  draw_axes(rows);
  draw_rows(categories);
  draw_markers(report, rows);
  draw_title(report);
  plend();
  if (!std::filesystem::is_regular_file(png) || std::filesystem::file_size(png) == 0)
    throw std::runtime_error("--plot: could not write " + png.string());
  log::info("shape-bias: chart written to " + png.string());
}

#endif

}  // namespace sinforge
