#include "sinforge/weights/weights_locator.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "sinforge/core/error.h"

namespace sinforge {

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<std::filesystem::path> cache_dir() {
  if (auto xdg = env("XDG_CACHE_HOME")) return std::filesystem::path(*xdg) / "sinforge" / "weights";
  if (auto home = env("HOME")) return std::filesystem::path(*home) / ".cache" / "sinforge" / "weights";
  return std::nullopt;
}

bool is_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

WeightFileLookup find_one(const std::optional<std::filesystem::path>& flag, const char* flag_name,
                          const char* env_name, const char* file_name) {
  WeightFileLookup found{file_name, std::nullopt, "", ""};
  auto take = [&](std::filesystem::path p, std::string source) {
    found.path = std::move(p);
    found.source = std::move(source);
    return found;
  };
  if (flag) {
    if (is_file(*flag)) return take(*flag, flag_name);
    found.problem = std::string(flag_name) + " " + flag->string() + ": no such file";
    return found;
  }
  std::vector<std::string> looked;
  if (auto p = env(env_name)) {
    if (is_file(*p)) return take(*p, std::string("$") + env_name);
    // An explicit setting that is wrong is an error, not a reason to fall back to another file.
    found.problem = std::string("$") + env_name + "=" + *p + ": no such file";
    return found;
  }
  looked.push_back(std::string("$") + env_name + " (not set)");
  if (auto dir = env("SINFORGE_WEIGHTS_DIR")) {
    const auto p = std::filesystem::path(*dir) / file_name;
    if (is_file(p)) return take(p, "$SINFORGE_WEIGHTS_DIR");
    looked.push_back(p.string() + " (from $SINFORGE_WEIGHTS_DIR)");
  } else {
    looked.push_back("$SINFORGE_WEIGHTS_DIR (not set)");
  }
  if (auto dir = cache_dir()) {
    const auto p = *dir / file_name;
    if (is_file(p)) return take(p, "the cache");
    looked.push_back(p.string() + " (the cache)");
  } else {
    looked.push_back("the cache (neither $XDG_CACHE_HOME nor $HOME is set)");
  }
  std::string msg = std::string("cannot find ") + file_name + "; looked at: " + flag_name + " (not given)";
  for (const auto& l : looked) msg += ", " + l;
  msg +=
      ". Run weights/fetch.sh to download the official AdaIN weights into the cache, or set "
      "SINFORGE_WEIGHTS_DIR to a folder holding vgg_normalised.pth and decoder.pth";
  found.problem = msg;
  return found;
}

std::filesystem::path locate_one(const std::optional<std::filesystem::path>& flag, const char* flag_name,
                                 const char* env_name, const char* file_name) {
  WeightFileLookup found = find_one(flag, flag_name, env_name, file_name);
  if (!found.path) throw UsageError(found.problem);
  return *found.path;
}

}  // namespace

WeightPaths locate_weights(std::optional<std::filesystem::path> vgg_flag,
                           std::optional<std::filesystem::path> decoder_flag) {
  WeightPaths out;
  out.vgg = locate_one(vgg_flag, "--vgg", "SINFORGE_VGG", "vgg_normalised.pth");
  out.decoder = locate_one(decoder_flag, "--decoder", "SINFORGE_DECODER", "decoder.pth");
  return out;
}

std::vector<WeightFileLookup> find_weight_files(std::optional<std::filesystem::path> vgg_flag,
                                                std::optional<std::filesystem::path> decoder_flag) {
  return {find_one(vgg_flag, "--vgg", "SINFORGE_VGG", "vgg_normalised.pth"),
          find_one(decoder_flag, "--decoder", "SINFORGE_DECODER", "decoder.pth")};
}

}  // namespace sinforge
