#include "sinforge/pipeline/preset.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <limits>
#include <map>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/image/image_format.h"
#include "sinforge/plan/scan.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// Thrown by a setter; apply_preset adds the file and the key.
struct BadValue {
  std::string expected;
};

template <typename T>
T as_number(const YAML::Node& v, T lo, T hi, const char* what) {
  T x{};
  try {
    x = v.as<T>();
  } catch (const YAML::Exception&) {
    throw BadValue{what};
  }
  if (x < lo || x > hi) throw BadValue{str_cat(what, " in [", lo, ", ", hi, "]")};
  return x;
}

int as_int(const YAML::Node& v, int lo, int hi = std::numeric_limits<int>::max()) {
  return as_number<int>(v, lo, hi, "an integer");
}

std::string as_string(const YAML::Node& v) {
  if (!v.IsScalar()) throw BadValue{"a single value"};
  return v.Scalar();
}

bool as_bool(const YAML::Node& v) {
  bool b = false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b)) throw BadValue{"true or false"};
  return b;
}

ImageFormat as_format(const YAML::Node& v) {
  ImageFormat format{};
  if (!parse_image_format(as_string(v), format)) throw BadValue{"jpg or png"};
  return format;
}

std::vector<std::string> as_extensions(const YAML::Node& v) {
  std::string list;
  if (v.IsSequence()) {
    for (const YAML::Node& e : v) list += (list.empty() ? "" : ",") + as_string(e);
  } else {
    list = as_string(v);
  }
  // parse_extensions words its refusal for the flag; a preset's names the file and the key instead.
  try {
    return parse_extensions(list);
  } catch (const UsageError&) {
    throw BadValue{"a list of extensions"};
  }
}

using Setter = std::function<void(const YAML::Node&, RunOptions&)>;

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> table = {
      {"content-size", [](const YAML::Node& v, RunOptions& o) { o.content.size = as_int(v, 0); }},
      {"crop", [](const YAML::Node& v, RunOptions& o) { o.content.crop = as_int(v, 0); }},
      {"output-size", [](const YAML::Node& v, RunOptions& o) { o.content.output_size = as_int(v, 0); }},
      {"style-size", [](const YAML::Node& v, RunOptions& o) { o.style.size = as_int(v, 0); }},
      {"style-min-size", [](const YAML::Node& v, RunOptions& o) { o.style.min_size = as_int(v, 0); }},
      {"style-crop",
       [](const YAML::Node& v, RunOptions& o) {
         if (!parse_style_crop(as_string(v), o.style.crop)) throw BadValue{"none or square"};
       }},
      {"style-filter",
       [](const YAML::Node& v, RunOptions& o) {
         if (!parse_resample_filter(as_string(v), o.style.filter)) throw BadValue{"bilinear, lanczos or box"};
       }},
      {"num-styles",
       [](const YAML::Node& v, RunOptions& o) { o.num_styles = static_cast<size_t>(as_int(v, 1)); }},
      {"alpha",
       [](const YAML::Node& v, RunOptions& o) { o.alpha = as_number<float>(v, 0.f, 1.f, "a number"); }},
      {"seed",
       [](const YAML::Node& v, RunOptions& o) {
         o.seed = as_number<uint64_t>(v, 0, std::numeric_limits<uint64_t>::max(), "an unsigned integer");
       }},
      {"format", [](const YAML::Node& v, RunOptions& o) { o.output.encoding.format = as_format(v); }},
      {"cue-conflict", [](const YAML::Node& v, RunOptions& o) { o.cue_conflict = as_bool(v); }},
      {"quality",
       [](const YAML::Node& v, RunOptions& o) { o.output.encoding.jpeg_quality = as_int(v, 1, 100); }},
      {"png_level",
       [](const YAML::Node& v, RunOptions& o) {
         o.output.encoding.png_level = as_int(v, kMinPngLevel, kMaxPngLevel);
       }},
      {"extensions", [](const YAML::Node& v, RunOptions& o) { o.extensions = as_extensions(v); }},
      {"output-layout",
       [](const YAML::Node& v, RunOptions& o) {
         if (!parse_output_layout(as_string(v), o.output.layout)) throw BadValue{"folder or webdataset"};
       }},
      {"tar-size",
       [](const YAML::Node& v, RunOptions& o) {
         try {
           o.output.tar_size = parse_byte_size(as_string(v));
         } catch (const UsageError&) {
           throw BadValue{"a size in bytes such as 1G or 500M"};
         }
       }},
      {"tar-prefix", [](const YAML::Node& v, RunOptions& o) { o.output.tar_prefix = as_string(v); }},
  };
  return table;
}

std::string describe(const YAML::Node& v) {
  if (v.IsScalar()) return "'" + v.Scalar() + "'";
  if (v.IsSequence()) return "a list";
  if (v.IsMap()) return "a mapping";
  return "nothing";
}

// Where built-in presets live: beside an installed binary first, then the source tree it was built from.
std::vector<fs::path> config_dirs() {
  std::vector<fs::path> dirs;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path().parent_path() / "share" / "sinforge" / "configs");
  dirs.emplace_back(SINFORGE_CONFIG_DIR);
  return dirs;
}

}  // namespace

fs::path resolve_preset(const std::string& name) {
  if (name.empty()) throw UsageError("--preset names nothing");
  const fs::path given(name);
  const bool looks_like_file =
      name.find('/') != std::string::npos || given.extension() == ".yaml" || given.extension() == ".yml";
  if (fs::is_regular_file(given) || looks_like_file) {
    if (!fs::is_regular_file(given)) throw UsageError("--preset " + name + ": no such file");
    return given;
  }
  std::string looked;
  for (const fs::path& dir : config_dirs()) {
    const fs::path file = dir / (name + ".yaml");
    if (fs::is_regular_file(file)) return file;
    looked += " " + file.string();
  }
  throw UsageError("--preset " + name + ": no such preset (looked for" + looked + ")");
}

std::vector<std::string> apply_preset(const fs::path& file, RunOptions& options) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    throw UsageError(str_cat("preset ", file.string(), ": cannot read (", e.what(), ")"));
  }
  if (root.IsNull()) return {};  // an empty preset changes nothing
  if (!root.IsMap())
    throw UsageError(str_cat("preset ", file.string(), ": expected a mapping of key: value"));
  RunOptions updated = options;
  std::vector<std::string> keys;
  for (const auto& item : root) {
    // A key that is itself a list, a mapping or empty ("? : x") has no name to look up.
    if (!item.first.IsScalar())
      throw UsageError(
          str_cat("preset ", file.string(), ": every key must be a name, found ", describe(item.first)));
    const std::string key = item.first.Scalar();
    const auto setter = setters().find(key);
    if (setter == setters().end()) {
      throw UsageError(str_cat(
          "preset ", file.string(), ": unknown key '", key, "' (known keys: ",
          [] {
            std::string all;
            for (const std::string& k : preset_keys()) all += (all.empty() ? "" : ", ") + k;
            return all;
          }(),
          ")"));
    }
    try {
      setter->second(item.second, updated);
    } catch (const BadValue& bad) {
      throw UsageError(str_cat("preset ", file.string(), ": key '", key, "': bad value ",
                               describe(item.second), " (expected ", bad.expected, ")"));
    }
    keys.push_back(key);
  }
  options = updated;
  return keys;
}

std::vector<std::string> preset_keys() {
  std::vector<std::string> keys;
  for (const auto& [key, setter] : setters()) keys.push_back(key);
  return keys;
}

}  // namespace sinforge
