#include "sinforge/plan/tar_scan.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/tar_stream.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool is_tar_name(const fs::path& p) { return lower(p.extension().string()) == ".tar"; }

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The first brace group of pattern expanded, recursively: `{0..3}` (zero padded as written), `{a,b}`.
std::vector<std::string> expand_braces(const std::string& pattern) {
  const size_t open = pattern.find('{');
  if (open == std::string::npos) return {pattern};
  const size_t close = pattern.find('}', open);
  if (close == std::string::npos) throw UsageError("--content " + pattern + ": a '{' without its '}'");
  const std::string body = pattern.substr(open + 1, close - open - 1);
  std::vector<std::string> choices;
  const size_t dots = body.find("..");
  if (dots != std::string::npos) {
    const std::string first = body.substr(0, dots), last = body.substr(dots + 2);
    if (!all_digits(first) || !all_digits(last) || first.size() > 18 || last.size() > 18)
      throw UsageError("--content " + pattern + ": a range must be {A..B} of whole numbers, got {" + body +
                       "}");
    const unsigned long long a = std::stoull(first), b = std::stoull(last);
    if (a > b) throw UsageError("--content " + pattern + ": the range {" + body + "} runs backwards");
    if (b - a >= 1000000) throw UsageError("--content " + pattern + ": the range {" + body + "} is too long");
    const size_t width = first.size() > 1 && first[0] == '0' ? first.size() : 0;
    for (unsigned long long n = a; n <= b; ++n) {
      std::string digits = std::to_string(n);
      if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
      choices.push_back(digits);
    }
  } else {
    size_t start = 0;
    for (size_t comma = body.find(',');; comma = body.find(',', start)) {
      choices.push_back(body.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  std::vector<std::string> out;
  for (const std::string& choice : choices) {
    for (std::string& rest : expand_braces(pattern.substr(close + 1)))
      out.push_back(pattern.substr(0, open) + choice + rest);
  }
  return out;
}

std::vector<fs::path> top_level_tars(const fs::path& folder, bool* has_folders) {
  std::vector<fs::path> tars;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    if (e.is_directory()) {
      if (has_folders != nullptr) *has_folders = true;
    } else if (e.is_regular_file() && is_tar_name(e.path())) {
      tars.push_back(e.path());
    }
  }
  std::sort(tars.begin(), tars.end());
  return tars;
}

// A list of tars is text: a NUL byte says the file is something else, most likely an image given by
// mistake, which as a "list" would only name garbage tars that do not exist.
void require_text(const fs::path& list, const std::string& text) {
  if (text.find('\0') == std::string::npos) return;
  throw UsageError(
      "--content " + list.string() +
      " must be a folder, a tar, a brace pattern of tars or a text file listing tars; this file " +
      "holds binary data (an image? --content takes the folder above the images)");
}

std::vector<fs::path> listed_tars(const fs::path& list) {
  std::ifstream file(list, std::ios::binary);
  if (!file) throw UsageError("--content " + list.string() + ": cannot read the list of tars");
  const std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  require_text(list, text);
  std::istringstream in(text);
  std::vector<fs::path> tars;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    const fs::path tar = line.substr(start);
    tars.push_back(tar.is_absolute() ? tar : list.parent_path() / tar);
  }
  return tars;
}

// WebDataset's split of a member name: the key is the path up to the first dot of its last component.
bool split_key(const std::string& name, std::string& key, std::string& ext) {
  const size_t slash = name.rfind('/');
  const size_t dot = name.find('.', slash == std::string::npos ? 0 : slash + 1);
  if (dot == std::string::npos || dot + 1 == name.size()) return false;
  key = name.substr(0, dot);
  ext = name.substr(dot + 1);
  return !key.empty() && key.back() != '/';
}

// One sample being gathered from a tar.
struct Gathered {
  std::string key;
  std::string image;  // member name; empty: none yet
  std::string image_ext;
  std::optional<std::string> cls;
  size_t first_member = 0;  // order in the tar
};

struct TarListing {
  std::vector<Gathered> samples;  // in the tar's order
  std::vector<TarProblem> problems;
};

std::string trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

TarListing list_tar(const fs::path& tar, const std::set<std::string>& extensions) {
  TarListing listing;
  std::map<std::string, size_t> index_of;  // key -> samples index
  size_t members = 0;
  std::string current_key;
  try {
    TarStream stream(tar);
    std::string name;
    uint64_t size = 0;
    while (stream.next(name, size)) {
      std::string key, ext;
      if (!split_key(name, key, ext)) continue;  // no extension: no field of any sample
      current_key = key;
      auto [it, fresh] = index_of.emplace(key, listing.samples.size());
      if (fresh) listing.samples.push_back({key, "", "", std::nullopt, members});
      Gathered& g = listing.samples[it->second];
      const std::string field = lower(ext);
      if (field == "cls") {
        g.cls = trimmed(stream.read_data());
      } else if (g.image.empty() && extensions.count(field) != 0) {
        g.image = name;
        g.image_ext = ext;
      }
      ++members;
    }
    current_key.clear();
  } catch (const TarStreamError& e) {
    // What was read before the break stands, but for the sample being read there: its members may be cut.
    std::string reason = str_cat(e.what(), ": the rest of the tar is unread");
    if (!current_key.empty()) {
      Gathered& g = listing.samples[index_of.at(current_key)];
      listing.problems.push_back({tar_member_label(tar, g.image.empty() ? current_key : g.image),
                                  "the tar breaks off in this sample"});
      listing.samples.erase(listing.samples.begin() + static_cast<std::ptrdiff_t>(index_of.at(current_key)));
    }
    listing.problems.push_back({tar.string(), reason});
  }
  return listing;
}

}  // namespace

bool names_tar_shards(const std::string& content) {
  const fs::path p(content);
  if (content.find('{') != std::string::npos && !fs::exists(p)) return true;
  if (fs::is_regular_file(p)) return true;  // a tar, or a list of tars
  if (!fs::is_directory(p)) return false;
  bool has_folders = false;
  const std::vector<fs::path> tars = top_level_tars(p, &has_folders);
  if (tars.empty()) return false;
  if (has_folders) {
    throw UsageError("--content " + content + " holds both .tar files and sub-folders: name the tars (a " +
                     "brace pattern or a list file) or a folder tree of images without tars at its top");
  }
  return true;
}

std::vector<fs::path> expand_tar_spec(const std::string& content) {
  const fs::path p(content);
  std::vector<fs::path> tars;
  if (fs::is_directory(p)) {
    tars = top_level_tars(p, nullptr);
  } else if (fs::is_regular_file(p)) {
    tars = is_tar_name(p) ? std::vector<fs::path>{p} : listed_tars(p);
  } else {
    for (const std::string& name : expand_braces(content)) tars.emplace_back(name);
  }
  if (tars.empty()) throw UsageError("--content " + content + " names no tar");
  std::vector<fs::path> missing;
  for (const fs::path& t : tars) {
    if (!fs::is_regular_file(t)) missing.push_back(t);
  }
  if (!missing.empty()) {
    throw UsageError(str_cat("--content ", content, ": ", missing.size(), " of ", tars.size(),
                             " tars do not exist (the first: ", missing.front().string(), ")"));
  }
  return tars;
}

std::vector<std::string> read_class_names(const fs::path& file) {
  std::ifstream in(file);
  if (!in || fs::is_directory(file))
    throw UsageError("--classes " + file.string() + ": cannot read the file");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() && in.peek() == EOF) break;  // the final newline
    if (line.empty() || line == "." || line == ".." || line.find('/') != std::string::npos) {
      throw UsageError(str_cat("--classes ", file.string(), " line ", names.size() + 1, ": '", line,
                               "' cannot name a class folder"));
    }
    names.push_back(line);
  }
  if (names.empty()) throw UsageError("--classes " + file.string() + ": no class names");
  return names;
}

TarScan scan_tars(const std::vector<fs::path>& tars, const std::vector<std::string>& extensions,
                  const std::optional<std::vector<std::string>>& classes, ThreadPool& pool) {
  const std::set<std::string> wanted(extensions.begin(), extensions.end());
  std::vector<std::future<TarListing>> listings;
  for (const fs::path& tar : tars)
    listings.push_back(pool.submit([&tar, &wanted] { return list_tar(tar, wanted); }));
  TarScan scan;
  scan.tars = tars;
  std::map<std::string, std::string> seen;  // relative path -> where it was first found
  for (size_t t = 0; t < tars.size(); ++t) {
    TarListing listing = listings[t].get();
    scan.problems.insert(scan.problems.end(), listing.problems.begin(), listing.problems.end());
    size_t ordinal = 0;
    for (const Gathered& g : listing.samples) {
      if (g.image.empty()) continue;  // a sample without an image is no content image
      const std::string where = tar_member_label(tars[t], g.image);
      std::string folder;
      if (g.cls) {
        if (!all_digits(*g.cls) || g.cls->size() > 9) {
          scan.problems.push_back({where, str_cat("its .cls is not a class number: '", *g.cls, "'")});
          continue;
        }
        const size_t index = std::stoul(*g.cls);
        if (classes && index >= classes->size()) {
          scan.problems.push_back(
              {where, str_cat("its class ", index, " is not in --classes (", classes->size(), " names)")});
          continue;
        }
        folder = classes ? (*classes)[index] : std::to_string(index);
      }
      const fs::path relative = folder.empty() ? fs::path(g.key + "." + g.image_ext)
                                               : fs::path(folder) / (g.key + "." + g.image_ext);
      const auto [it, fresh] = seen.emplace(relative.generic_string(), where);
      if (!fresh) {
        scan.problems.push_back(
            {where, str_cat("the same sample (", relative.generic_string(), ") as ", it->second)});
        continue;
      }
      scan.samples.push_back({relative, g.key, t, g.image, ordinal++});
    }
  }
  std::sort(scan.samples.begin(), scan.samples.end(), [](const TarSample& a, const TarSample& b) {
    return a.relative.generic_string() < b.relative.generic_string();
  });
  return scan;
}

void leave_out_shared_keys(TarScan& scan) {
  std::vector<size_t> in_tar_order(scan.samples.size());
  for (size_t i = 0; i < in_tar_order.size(); ++i) in_tar_order[i] = i;
  std::sort(in_tar_order.begin(), in_tar_order.end(), [&](size_t a, size_t b) {
    return std::tie(scan.samples[a].tar, scan.samples[a].ordinal) <
           std::tie(scan.samples[b].tar, scan.samples[b].ordinal);
  });
  const auto label = [&](const TarSample& s) { return tar_member_label(scan.tars[s.tar], s.member); };
  std::map<std::string, size_t> first_of;  // key -> the sample that has it
  std::vector<bool> shared(scan.samples.size(), false);
  for (const size_t i : in_tar_order) {
    const auto [it, fresh] = first_of.emplace(scan.samples[i].key, i);
    if (fresh) continue;
    shared[i] = true;
    scan.problems.push_back({label(scan.samples[i]), "the same key as " + label(scan.samples[it->second])});
  }
  std::vector<TarSample> kept;
  for (size_t i = 0; i < scan.samples.size(); ++i) {
    if (!shared[i]) kept.push_back(std::move(scan.samples[i]));
  }
  scan.samples = std::move(kept);
}

}  // namespace sinforge
