// What the shape-bias tests share: the stimuli, tiny TorchScript models and expectations that
// tests/reference/shape_bias_fixtures.py writes (once per build folder and script version), and helpers.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "sinforge/shape_bias/classifier.h"
#include "sinforge/shape_bias/cue_conflict.h"
#include "sinforge/shape_bias/shape_bias.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge::testing {

namespace fs = std::filesystem;

// The stimuli, models and expectations of shape_bias_fixtures.py, written once for the whole file.
inline const fs::path& fixtures() {
  static const fs::path dir = reference_fixture("shape_bias_fixtures.py", {});
  return dir;
}

inline nlohmann::json expected() { return nlohmann::json::parse(read_bytes(fixtures() / "expected.json")); }

inline ShapeBiasReport measure(const std::string& model, const fs::path& stimuli, int batch_size = 32) {
  const auto classifier = load_imagenet_classifier(fixtures() / model, at::kCPU);
  return measure_shape_bias(*classifier, scan_cue_conflict(stimuli), {batch_size});
}

// A copy of the stimuli that a test may damage.
inline fs::path copy_of_stimuli(const TempDir& tmp) {
  fs::copy(fixtures() / "stimuli", tmp / "stimuli", fs::copy_options::recursive);
  return tmp / "stimuli";
}

}  // namespace sinforge::testing
