// `sinforge verify` for the webdataset layout (verify.h): tars are read in parallel, one per task, and
// their samples compared with the manifests.
#include <map>
#include <set>
#include <span>

#include <nlohmann/json.hpp>

#include "sinforge/core/log.h"
#include "sinforge/core/ordered_loader.h"
#include "sinforge/image/image_io.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/tools/verify.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// What one tar holds, sample by sample, once checked on its own.
struct TarSample {
  std::string content, painting;
  int width = 0, height = 0;
  std::string problem;  // empty: the sample is complete and its image decodes at its size
};

struct TarContents {
  std::map<std::string, TarSample> samples;  // by key
  std::string error;                         // non-empty: the tar cannot be read
};

// The members of one key, as read.
struct Members {
  std::map<std::string, std::string> data;  // by extension
  size_t count = 0;
};

std::string check_sample(const std::string& key, const Members& m, const std::vector<std::string>& classes,
                         TarSample& s) {
  const bool jpg = m.data.count("jpg") != 0, png = m.data.count("png") != 0;
  if (m.count != 3 || jpg == png || m.data.count("cls") == 0 || m.data.count("json") == 0) {
    return str_cat("incomplete sample: ", m.count, " members, expected <key>.<jpg|png>, .cls and .json");
  }
  const nlohmann::json j = nlohmann::json::parse(m.data.at("json"), nullptr, false);
  if (j.is_discarded() || !j.contains("content") || !j.contains("width")) return "unreadable .json member";
  s.content = j.value("content", "");
  s.painting = j.value("painting", j.value("derivation", ""));  // run's samples, or derive's (tar_sink.h)
  s.width = j.value("width", 0);
  s.height = j.value("height", 0);
  const std::optional<size_t> cls = class_index(classes, s.content);
  if (!cls || m.data.at("cls") != std::to_string(*cls)) {
    return str_cat(".cls is '", m.data.at("cls"), "', classes.txt gives ",
                   cls ? std::to_string(*cls) : "none");
  }
  const std::string& image = m.data.at(jpg ? "jpg" : "png");
  try {
    const cv::Mat decoded =
        decode_image(std::span(reinterpret_cast<const uint8_t*>(image.data()), image.size()), key);
    if (decoded.cols != s.width || decoded.rows != s.height) {
      return str_cat("image ", decoded.cols, "x", decoded.rows, ", .json says ", s.width, "x", s.height);
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

TarContents read_samples(const fs::path& tar, const std::vector<std::string>& classes) {
  TarContents out;
  std::map<std::string, Members> members;
  try {
    read_tar(
        tar, [](const std::string&) { return true; },
        [&](const std::string& name, const std::string& data) {
          std::string key, ext;
          if (!split_member_name(name, key, ext)) key = name;
          Members& m = members[key];
          ++m.count;
          m.data[ext] = data;
        });
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  for (const auto& [key, m] : members) {
    TarSample& s = out.samples[key];
    s.problem = check_sample(key, m, classes, s);
  }
  return out;
}

// Every .tar at the top of the folder, and every tar a manifest names.
std::vector<std::string> tars_to_check(const fs::path& out_dir, const std::vector<ManifestEntry>& entries) {
  std::set<std::string> names;
  for (const ManifestEntry& e : entries) names.insert(e.tar);
  for (const auto& e : fs::directory_iterator(out_dir)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.ends_with(".tar") && !name.starts_with(".")) names.insert(name);
  }
  names.erase("");
  return {names.begin(), names.end()};
}

void problem(VerifyReport& r, size_t& counter, const std::string& kind, const std::string& path,
             const std::string& reason) {
  ++counter;
  r.problems.push_back({kind, path, reason});
}

}  // namespace

void verify_tar_output(const fs::path& out_dir, const std::vector<ManifestEntry>& entries, ThreadPool& pool,
                       VerifyReport& report) {
  const std::vector<std::string> classes = read_classes(out_dir);
  if (classes.empty()) problem(report, report.broken, "broken", "classes.txt", "missing or empty");
  // Manifest rows by tar, each key once (a second row is a duplicate, as for folders).
  std::map<std::string, std::map<std::string, const ManifestEntry*>> rows;
  std::set<std::string> recorded;
  for (const ManifestEntry& e : entries) {
    if (!recorded.insert(e.output).second) {
      problem(report, report.duplicates, "duplicate", e.tar + ":" + e.output, "listed more than once");
      continue;
    }
    rows[e.tar][e.output] = &e;
  }
  const std::vector<std::string> tars = tars_to_check(out_dir, entries);
  report.tars = tars.size();
  OrderedLoader<TarContents> loader(pool, tars.size(), pool.size() * 2, [&](size_t i) {
    if (!fs::exists(out_dir / tars[i])) return TarContents{{}, "no such file"};
    return read_samples(out_dir / tars[i], classes);
  });
  std::map<std::string, std::string> seen_in;  // key -> the tar it was first found in
  TarContents c;
  for (size_t i = 0; loader.next(c); ++i) {
    const std::string& tar = tars[i];
    const auto& expected = rows[tar];
    if (!c.error.empty()) {
      for (const auto& [key, row] : expected)
        problem(report, report.missing, "missing", tar + ":" + key, c.error);
      if (expected.empty()) problem(report, report.broken, "broken", tar, c.error);
      continue;
    }
    for (const auto& [key, s] : c.samples) {
      const std::string where = tar + ":" + key;
      const auto [first, fresh] = seen_in.emplace(key, tar);
      if (!fresh) {
        problem(report, report.broken, "broken", where, "also in " + first->second);
      } else if (!s.problem.empty()) {
        problem(report, report.broken, "broken", where, s.problem);
      } else if (expected.count(key) == 0) {
        problem(report, report.unrecorded, "unrecorded", where, "no manifest row names this sample");
      } else {
        const ManifestEntry& e = *expected.at(key);
        if (e.content != s.content || e.painting != s.painting || e.width != s.width ||
            e.height != s.height) {
          problem(report, report.broken, "broken", where, "the .json member disagrees with the manifest");
        } else {
          ++report.ok;
        }
      }
    }
    for (const auto& [key, row] : expected) {
      if (c.samples.count(key) == 0)
        problem(report, report.missing, "missing", tar + ":" + key, "not in the tar");
    }
  }
}

}  // namespace sinforge
