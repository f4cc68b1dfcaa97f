// The flags `sinforge run` shares with the command that mimics it (preview): inputs, recipe, model. Defined
// and read here once for those two, so a default or a help text cannot drift between them. styles, derive,
// bench and verify still declare their own copies of some (--device, --extensions, --threads, ...).
#pragma once

#include <cxxopts.hpp>

#include <optional>
#include <string>

#include "sinforge/pipeline/run.h"

namespace sinforge::cli {

// --content --styles --vgg --decoder --preset --alpha --content-size --crop --seed --style-size --style-crop
// --style-filter --style-min-size --device --precision --extensions --threads --log-level and -h/--help.
void add_shared_run_flags(cxxopts::Options& cli);

// Flags given explicitly (r.count) overwrite o: applied after a preset, so flags override it.
void apply_style_flags(const cxxopts::ParseResult& r, RunOptions& o);

// Parses argv, prints the help when asked (returns false then), rejects stray arguments and applies
// --log-level.
bool parse_command_line(cxxopts::Options& cli, int argc, char** argv, cxxopts::ParseResult& result);

// The shared flags' values in a RunOptions (--content and --styles required): the preset first, then the
// flags given explicitly on top of it. Weights are not located yet.
RunOptions read_shared_run_flags(const cxxopts::ParseResult& r);

// Resolves --vgg/--decoder (weights_locator.h) into o; call after the other flags were validated, so a
// bad flag is reported even when the weights are missing too.
void locate_weight_flags(const cxxopts::ParseResult& r, RunOptions& o);

// --extensions' default, "jpg,jpeg,png": default_extensions() (scan.h) as the flag spells it.
std::string default_extensions_flag();

// A path-valued flag when it was given.
std::optional<std::filesystem::path> optional_path(const cxxopts::ParseResult& r, const std::string& name);

// A required path-valued flag; UsageError "--NAME is required" otherwise.
std::filesystem::path required_path(const cxxopts::ParseResult& r, const char* name);

// Sets value from flag NAME when it was given on the command line; returns whether it was.
template <typename T>
bool given(const cxxopts::ParseResult& r, const std::string& name, T& value) {
  if (r.count(name) == 0) return false;
  value = r[name].template as<T>();
  return true;
}

}  // namespace sinforge::cli
