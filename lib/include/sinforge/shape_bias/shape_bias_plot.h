// The per-class shape bias chart of Geirhos et al. (ICLR 2019; model-vs-human's "shape-bias_matrixplot"):
// one marker per shape class on a 0-1 axis of the fraction of texture decisions (bottom) and of shape
// decisions (top, reversed), the model's overall shape bias as a vertical line. Drawn by PLplot's cairo PNG
// driver.
#pragma once

#include <filesystem>

#include "sinforge/shape_bias/shape_bias.h"

namespace sinforge {

// Whether this build has PLplot (a build from a carried dependency folder may not).
bool shape_bias_plot_available();

// Writes the chart as a PNG. Throws UsageError when this build has no PLplot or its cairo driver is missing,
// std::runtime_error when the file cannot be written.
void plot_shape_bias(const ShapeBiasReport& report, const std::filesystem::path& png);

}  // namespace sinforge
