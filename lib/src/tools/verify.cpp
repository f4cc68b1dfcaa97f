#include "sinforge/tools/verify.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <unordered_set>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/ordered_loader.h"
#include "sinforge/derive/spectrum_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/records/records.h"
#include "sinforge/records/run_settings.h"
#include "sinforge/records/style_bank_file.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

struct Check {
  std::string kind;  // empty: ok
  std::string reason;
};

Check check_output(const fs::path& file, const ManifestEntry& e) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return {"missing", "no such file"};
  try {
    const cv::Mat image = read_image(file);
    if (image.cols != e.width || image.rows != e.height) {
      return {"broken", str_cat("size ", image.cols, "x", image.rows, ", recorded ", e.width, "x", e.height)};
    }
  } catch (const std::exception& ex) {
    return {"broken", ex.what()};
  }
  return {};
}

// Shard labels of the record files of one kind: "shard-1-of-2" -> {index 1, count 2}.
std::vector<ShardId> shards_with(const fs::path& out_dir, const std::string& kind, const std::string& ext) {
  static const std::regex label(R"(shard-(\d+)-of-(\d+))");
  const std::string prefix = "sinforge." + kind + ".";
  std::vector<ShardId> shards;
  for (const auto& entry : fs::directory_iterator(out_dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(ext)) continue;
    const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - ext.size());
    std::smatch m;
    if (std::regex_match(middle, m, label)) shards.push_back({std::stoul(m[1]), std::stoul(m[2])});
  }
  return shards;
}

void add_missing_summaries(const fs::path& out_dir, VerifyReport& report) {
  for (const std::string& name : missing_summaries(out_dir)) {
    ++report.missing_summaries;
    report.problems.push_back({"summary", name, "missing: that shard did not finish"});
  }
}

}  // namespace

std::string VerifyReport::summary_line() const {
  std::string line = str_cat(entries, " entries, ", ok, " ok, ", missing, " missing, ", broken, " broken, ",
                             duplicates, " duplicates, ", missing_summaries, " shard summaries missing");
  if (tars > 0) line += str_cat(", ", tars, " tars, ", unrecorded, " unrecorded");
  return line + str_cat(", ", stray, " stray files");
}

std::vector<VerifyProblem> stray_files(const fs::path& out_dir, const std::set<std::string>& outputs,
                                       bool tar_layout) {
  const auto is_record = [&](const std::string& name) {
    if ((name.starts_with("sinforge.manifest.") || name.starts_with("sinforge.skipped.")) &&
        name.ends_with(".csv"))
      return true;
    if (name.starts_with("sinforge.summary.") && name.ends_with(".json")) return true;
    if (name == settings_path(out_dir).filename() || name == kDefaultStyleBankName) return true;
    if (name == kSpectrumFileName) return true;  // derive's power equalisation (spectrum_file.h)
    if (!tar_layout || name.starts_with(".")) return false;
    if (name == "classes.txt" || name.ends_with(".tar")) return true;
    return name.ends_with(".idx") && fs::exists(out_dir / (name.substr(0, name.size() - 4) + ".tar"));
  };
  std::vector<VerifyProblem> strays;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory() && !it->is_symlink()) continue;
    const std::string relative = it->path().lexically_relative(out_dir).generic_string();
    const std::string name = it->path().filename().string();
    const bool top = it.depth() == 0;
    if (outputs.count(relative) != 0 || (top && is_record(name))) continue;
    std::string target;
    strays.push_back(
        {"stray", relative,
         is_atomic_temporary(name, &target)
             ? str_cat("a temporary of ", target,
                       " that an interrupted run left; a rerun of its shard removes it")
             : std::string(it->is_regular_file() ? "no record names this file" : "not a regular file")});
  }
  std::sort(strays.begin(), strays.end(),
            [](const VerifyProblem& a, const VerifyProblem& b) { return a.path < b.path; });
  return strays;
}

namespace {

void add_strays(const fs::path& out_dir, const std::vector<ManifestEntry>& entries, bool tar_layout,
                VerifyReport& report) {
  std::set<std::string> outputs;
  if (!tar_layout) {
    for (const ManifestEntry& e : entries) outputs.insert(e.output);
  }
  for (VerifyProblem& p : stray_files(out_dir, outputs, tar_layout)) {
    ++report.stray;
    report.problems.push_back(std::move(p));
  }
}

}  // namespace

std::vector<std::string> missing_summaries(const fs::path& out_dir) {
  const std::vector<ShardId> summaries = shards_with(out_dir, "summary", ".json");
  if (summaries.empty()) return {};
  std::set<size_t> counts;
  for (const ShardId& s : summaries) counts.insert(s.count);
  for (const ShardId& s : shards_with(out_dir, "manifest", ".csv")) counts.insert(s.count);
  std::vector<std::string> missing;
  for (const size_t count : counts) {
    for (size_t k = 0; k < count; ++k) {
      const fs::path file = summary_path(out_dir, ShardId{k, count});
      if (!fs::exists(file)) missing.push_back(file.filename().string());
    }
  }
  return missing;
}

VerifyReport verify_output(const fs::path& out_dir, ThreadPool& pool) {
  if (!fs::is_directory(out_dir)) throw UsageError("--out " + out_dir.string() + ": no such folder");
  if (shards_with(out_dir, "manifest", ".csv").empty()) {
    throw UsageError("--out " + out_dir.string() +
                     ": no manifest (sinforge.manifest.shard-K-of-N.csv) found");
  }
  const std::vector<ManifestEntry> entries = read_manifests(out_dir);
  VerifyReport report;
  report.entries = entries.size();
  if (std::any_of(entries.begin(), entries.end(), [](const ManifestEntry& e) { return !e.tar.empty(); })) {
    verify_tar_output(out_dir, entries, pool, report);
    add_missing_summaries(out_dir, report);
    add_strays(out_dir, entries, true, report);
    return report;
  }
  std::vector<const ManifestEntry*> distinct;
  std::unordered_set<std::string> seen;
  for (const ManifestEntry& e : entries) {
    if (seen.insert(e.output).second) {
      distinct.push_back(&e);
    } else {
      ++report.duplicates;
      report.problems.push_back({"duplicate", e.output, "listed more than once"});
    }
  }
  OrderedLoader<Check> loader(pool, distinct.size(), pool.size() * 4, [&](size_t i) {
    return check_output(out_dir / distinct[i]->output, *distinct[i]);
  });
  Check c;
  for (size_t i = 0; loader.next(c); ++i) {
    if (c.kind.empty()) {
      ++report.ok;
      continue;
    }
    ++(c.kind == "missing" ? report.missing : report.broken);
    report.problems.push_back({c.kind, distinct[i]->output, c.reason});
  }
  add_missing_summaries(out_dir, report);
  add_strays(out_dir, entries, false, report);
  return report;
}

}  // namespace sinforge
