// Writing a shape bias measurement (shape_bias.h) for people (a table) and for programs (JSON).
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "sinforge/shape_bias/shape_bias.h"

namespace sinforge {

// The shape bias, one row per shape class (images, shape/texture/other decisions, shape bias, shares) and the
// counts: images decided, left out for equal classes, skipped as unreadable (each named), ignored.
void print_shape_bias(const ShapeBiasReport& report, std::ostream& out);

// The same as JSON; a value that is not defined (no shape or texture decision in a class) is null.
nlohmann::json shape_bias_json(const ShapeBiasReport& report);

}  // namespace sinforge
