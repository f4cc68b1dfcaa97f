// The flags `sinforge run` shares with the commands that mimic it (preview): inputs, recipe, model. Defined
// and read here once, so a default or a help text cannot drift between commands.
#pragma once

#include <cxxopts.hpp>

#include <string>

#include "sinforge/run.h"

namespace sinforge::cli {

// --content --styles --vgg --decoder --alpha --content-size --style-size --crop --seed --device --precision
// --extensions --threads --log-level and -h/--help.
void add_shared_run_flags(cxxopts::Options& cli);

// Parses argv, prints the help when asked (returns false then), rejects stray arguments and applies
// --log-level.
bool parse_command_line(cxxopts::Options& cli, int argc, char** argv, cxxopts::ParseResult& result);

// The shared flags' values in a RunOptions (--content and --styles required); weights are not located yet.
RunOptions read_shared_run_flags(const cxxopts::ParseResult& r);

// Resolves --vgg/--decoder (weights_locator.h) into o; call after the other flags were validated, so a
// bad flag is reported even when the weights are missing too.
void locate_weight_flags(const cxxopts::ParseResult& r, RunOptions& o);

// A required path-valued flag; UsageError "--NAME is required" otherwise.
std::filesystem::path required_path(const cxxopts::ParseResult& r, const char* name);

}  // namespace sinforge::cli
