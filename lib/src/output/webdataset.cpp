#include "sinforge/output/webdataset.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <span>
#include <stdexcept>
#include <tuple>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/image/image_io.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// "<prefix>-<shard>-<number>.tar" split from the end (the prefix may hold dashes); false if not that shape.
bool split_tar_name(const std::string& name, std::string& prefix, std::string& shard, std::string& number) {
  if (!name.ends_with(".tar")) return false;
  const std::string stem = name.substr(0, name.size() - 4);
  const size_t last = stem.rfind('-');
  if (last == std::string::npos || last == 0) return false;
  const size_t middle = stem.rfind('-', last - 1);
  if (middle == std::string::npos || middle == 0) return false;
  prefix = stem.substr(0, middle);
  shard = stem.substr(middle + 1, last - middle - 1);
  number = stem.substr(last + 1);
  return all_digits(shard) && all_digits(number) && number.size() >= 6;
}

// sample_key's escape: letters, digits and '-' stay, '/' "_s", '.' "_d", '_' "__", any other byte "_xHH".
std::string escape_key_text(const std::string& text) {
  std::string key;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-') {
      key += c;
    } else if (c == '/') {
      key += "_s";
    } else if (c == '.') {
      key += "_d";
    } else if (c == '_') {
      key += "__";
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%02x", u);
      key += std::string("_x") + hex;
    }
  }
  return key;
}

// What output's name adds to the content's: the output's file name without its extension, less the content
// name's part before its first dot (the last component of the sample's key, which holds no dot).
std::string name_added(const fs::path& content, const fs::path& output) {
  const std::string content_name = content.filename().string();
  const std::string base = content_name.substr(0, content_name.find('.'));
  fs::path stem = output.filename();
  stem.replace_extension();
  const std::string name = stem.string();
  if (!name.starts_with(base))
    throw std::logic_error(str_cat("output ", output.string(), " is not named after ", content.string()));
  return name.substr(base.size());
}

}  // namespace

bool parse_output_layout(const std::string& text, OutputLayout& layout) {
  if (text == "folder") {
    layout = OutputLayout::kFolder;
  } else if (text == "webdataset") {
    layout = OutputLayout::kWebDataset;
  } else {
    return false;
  }
  return true;
}

std::string to_string(OutputLayout layout) {
  return layout == OutputLayout::kWebDataset ? "webdataset" : "folder";
}

uint64_t parse_byte_size(const std::string& text) {
  const auto bad = [&] {
    return UsageError("--tar-size must be a positive size in bytes such as 1G, 500M or 1GiB, got '" + text +
                      "'");
  };
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) ++digits;
  if (digits == 0 || digits > 15) throw bad();
  std::string unit = text.substr(digits);
  if (unit.ends_with("B") || unit.ends_with("b")) unit.pop_back();
  static const std::pair<const char*, uint64_t> units[] = {{"", 1},
                                                           {"k", 1000},
                                                           {"K", 1000},
                                                           {"M", 1000000},
                                                           {"G", 1000000000},
                                                           {"Ki", uint64_t{1} << 10},
                                                           {"Mi", uint64_t{1} << 20},
                                                           {"Gi", uint64_t{1} << 30}};
  for (const auto& [name, factor] : units) {
    if (unit != name) continue;
    const uint64_t value = std::stoull(text.substr(0, digits)) * factor;
    if (value == 0) throw bad();
    return value;
  }
  throw bad();
}

std::string sample_key(const fs::path& planned_output) {
  fs::path stem = planned_output;
  stem.replace_extension();
  return escape_key_text(stem.generic_string());
}

std::string output_key(const PlannedContent& planned, size_t k) {
  const fs::path& output = planned.outputs.at(k);
  if (planned.key.empty()) return sample_key(output);
  return planned.key + escape_key_text(name_added(planned.relative, output));
}

void check_unique_keys(const std::vector<PlannedContent>& planned) {
  // By hash, then the keys of equal hashes compared: a million contents' keys held at once would cost far
  // more memory than their hashes.
  struct Keyed {
    size_t hash;
    size_t content;
    size_t k;
  };
  std::vector<Keyed> keyed;
  for (size_t c = 0; c < planned.size(); ++c) {
    for (size_t k = 0; k < planned[c].outputs.size(); ++k)
      keyed.push_back({std::hash<std::string>{}(output_key(planned[c], k)), c, k});
  }
  // In the plan's order within one hash, so that the message names the earlier content first.
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    return std::tie(a.hash, a.content, a.k) < std::tie(b.hash, b.content, b.k);
  });
  for (size_t i = 0; i < keyed.size(); ++i) {
    for (size_t j = i + 1; j < keyed.size() && keyed[j].hash == keyed[i].hash; ++j) {
      const std::string key = output_key(planned[keyed[i].content], keyed[i].k);
      if (key != output_key(planned[keyed[j].content], keyed[j].k)) continue;
      throw UsageError(str_cat("--output-layout webdataset keeps the input keys, but ",
                               record_path(planned[keyed[i].content]).string(), " and ",
                               record_path(planned[keyed[j].content]).string(), " would both write the key '",
                               key, "': rename one, or use --output-layout folder"));
    }
  }
}

void validate_webdataset_flags(uint64_t tar_size, const std::string& tar_prefix) {
  if (!webdataset_available()) {
    throw UsageError("--output-layout webdataset: this sinforge was built without libarchive (docs/GPU.md)");
  }
  if (tar_size == 0) throw UsageError("--tar-size must be positive");
  const bool plain = !tar_prefix.empty() && std::all_of(tar_prefix.begin(), tar_prefix.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  if (!plain) throw UsageError("--tar-prefix must be letters, digits, '-' or '_', got '" + tar_prefix + "'");
}

void require_class_folders(const std::vector<fs::path>& contents) {
  for (const fs::path& c : contents) {
    if (std::distance(c.begin(), c.end()) < 2) {
      throw UsageError(
          str_cat("--output-layout webdataset numbers classes by the content's top-level folder ",
                  "(as ImageFolder does), but ", c.string(), " lies at the top of --content"));
    }
  }
}

std::vector<std::string> class_names(const std::vector<fs::path>& contents) {
  std::set<std::string> names;
  for (const fs::path& c : contents) {
    if (std::distance(c.begin(), c.end()) > 1) names.insert(c.begin()->string());
  }
  return {names.begin(), names.end()};  // std::set sorts bytewise: UTF-8 in code point order, as Python
}

std::optional<size_t> class_index(const std::vector<std::string>& names, const fs::path& content_relative) {
  if (std::distance(content_relative.begin(), content_relative.end()) < 2) return std::nullopt;
  const std::string top = content_relative.begin()->string();
  const auto it = std::lower_bound(names.begin(), names.end(), top);
  if (it == names.end() || *it != top) return std::nullopt;
  return static_cast<size_t>(it - names.begin());
}

fs::path classes_path(const fs::path& out_dir) { return out_dir / "classes.txt"; }

void write_classes(const fs::path& out_dir, const std::vector<std::string>& names, const std::string& owner) {
  std::string text;
  for (const std::string& n : names) text += n + '\n';
  write_file_atomic(classes_path(out_dir),
                    std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), owner);
}

std::vector<std::string> read_classes(const fs::path& out_dir) {
  std::ifstream in(classes_path(out_dir));
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) names.push_back(line);
  return names;
}

std::string tar_file_name(const std::string& prefix, size_t shard, uint64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06llu", static_cast<unsigned long long>(number));
  return str_cat(prefix, "-", shard, "-", digits, ".tar");
}

bool is_series_tar(const std::string& name, const std::string& prefix, size_t shard, uint64_t* number) {
  std::string p, s, n;
  if (!split_tar_name(name, p, s, n) || p != prefix || s != std::to_string(shard)) return false;
  if (number != nullptr) *number = std::stoull(n);
  return true;
}

std::vector<fs::path> series_tars(const fs::path& out_dir, const std::string& prefix, size_t shard) {
  std::vector<std::pair<uint64_t, fs::path>> found;
  if (!fs::is_directory(out_dir)) return {};
  for (const auto& e : fs::directory_iterator(out_dir)) {
    uint64_t number = 0;
    if (e.is_regular_file() && is_series_tar(e.path().filename().string(), prefix, shard, &number)) {
      found.emplace_back(number, e.path());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> tars;
  for (auto& [number, path] : found) tars.push_back(std::move(path));
  return tars;
}

uint64_t next_tar_number(const fs::path& out_dir, const std::string& prefix, size_t shard) {
  uint64_t next = 0;
  for (const fs::path& tar : series_tars(out_dir, prefix, shard)) {
    uint64_t number = 0;
    is_series_tar(tar.filename().string(), prefix, shard, &number);
    next = std::max(next, number + 1);
  }
  return next;
}

std::string dali_index(const std::vector<TarMember>& members) {
  std::vector<std::string> lines;
  std::string last_key;
  for (const TarMember& m : members) {
    std::string key, ext;
    if (!split_member_name(m.name, key, ext)) continue;  // never written: every member has an extension
    const std::string component = str_cat(ext, " ", m.data_offset, " ", m.size, " ", m.name);
    if (lines.empty() || key != last_key) {
      lines.push_back(component);
    } else {
      lines.back() += " " + component;
    }
    last_key = key;
  }
  std::string text = str_cat("v1.2 ", lines.size(), "\n");
  for (const std::string& line : lines) text += line + '\n';
  return text;
}

fs::path dali_index_path(const fs::path& tar) {
  fs::path idx = tar;
  idx.replace_extension(".idx");
  return idx;
}

bool split_member_name(const std::string& name, std::string& key, std::string& ext) {
  const size_t slash = name.rfind('/');
  const size_t dot = name.find('.', slash == std::string::npos ? 0 : slash + 1);
  if (dot == std::string::npos) return false;
  key = name.substr(0, dot);
  ext = name.substr(dot + 1);
  return true;
}

}  // namespace sinforge
