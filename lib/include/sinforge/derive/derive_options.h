// `sinforge derive`'s settings: which derived set (the variant) and its parameters, the crop it starts
// from, and the run's engine settings (shards, threads, output format) as `sinforge run` has them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sinforge/image/image_io.h"
#include "sinforge/output/output_options.h"
#include "sinforge/plan/scan.h"
#include "sinforge/plan/shard.h"

namespace sinforge {

// The local-versus-global thesis's variants, then model-vs-human's manipulations (docs/REFERENCE.md).
enum class DeriveVariant {
  kScramble,
  kPatch,
  kGreyscale,
  kContrast,
  kUniformNoise,
  kLowPass,
  kHighPass,
  kRotation,
  kSaltAndPepper,
  kPhaseNoise,
  kPowerEqualise,
  kFalseColour
};

struct DeriveOptions {
  std::filesystem::path content_dir;
  std::filesystem::path out_dir;
  DeriveVariant variant = DeriveVariant::kScramble;
  std::vector<int> grids = {8, 7, 4, 2};  // scramble: blocks per side (28, 32, 56, 112 px on 224)
  int copies = 3;                         // scramble: orders per grid
  bool derange = false;                   // scramble: never the identity order
  std::vector<int> patch_sizes = {10, 20, 30, 40, 50, 60, 70};  // patch: square sides in pixels
  std::vector<std::string> levels;  // a manipulation's levels as given; empty: the published ones
  bool original = false;            // also write the crop itself
  // power-equalise: the mean amplitude spectrum to use (spectrum_file.h); empty: the mean over --content
  std::filesystem::path spectrum_file;
  // false-colour: the monitor's gamma table, a .npy of 256 outputs in [0, 1] (the published
  // x_gamma_function.npy); needed for the opponent level
  std::filesystem::path gamma_table_file;
  int content_size = 256;  // Resize(256): the shorter side
  int crop = 224;          // CenterCrop(224)
  uint64_t seed = 0;
  std::vector<std::string> extensions = default_extensions();
  int threads = 0;  // 0: every core
  ShardId shard;
  bool overwrite = false;
  double progress_interval = 30;
  // --format, --quality, --png-level; the layout, as run's: a folder tree, or WebDataset tar shards whose
  // keys are the folder layout's names (webdataset.h sample_key) and whose .json members name the derivation.
  OutputOptions output;
};

// "scramble", "patch", "greyscale", "contrast", "uniform-noise", "low-pass", "high-pass", "rotation",
// "salt-and-pepper", "phase-noise", "power-equalise", "false-colour".
std::string to_string(DeriveVariant variant);
// false on an unknown name.
bool parse_derive_variant(const std::string& name, DeriveVariant& out);
// The names, comma separated, for messages.
std::string derive_variant_names();
// Whether the variant is one of model-vs-human's manipulations (levels; one folder per condition).
bool is_manipulation(DeriveVariant variant);

// The levels a manipulation runs: as given, else the published ones (docs/REFERENCE.md).
std::vector<std::string> derive_levels(const DeriveOptions& options);
// A level's value in the rule's own unit: contrast 0.1 (10 %), noise width, p, sigma (high-pass takes
// "inf"), degrees; greyscale's "cr" (colour) and "bw", power-equalise's "original" and "equalised",
// false-colour's "true" and "opponent" read as 0 and 1. Throws UsageError naming --levels
// and the level on a value the rule does not take.
double parse_level(DeriveVariant variant, const std::string& level);

// Every check that can be made before work starts; throws UsageError naming the flag.
void validate(const DeriveOptions& options);
// What determines the outputs, recorded as the folder's settings (run_settings.h's check_settings and
// write_settings): a rerun or another shard with other settings is refused.
nlohmann::json derive_settings(const DeriveOptions& options);

}  // namespace sinforge
