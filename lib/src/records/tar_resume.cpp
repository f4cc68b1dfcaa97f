#include "sinforge/records/tar_resume.h"

#include <nlohmann/json.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/log.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// The tar named by the last row of the shard's own manifest: the only recorded tar whose rows a kill can
// have torn, since a tar's rows are written and flushed together, one tar after another.
std::string last_recorded_tar(const fs::path& out_dir, const ShardId& shard) {
  const fs::path file = manifest_path(out_dir, shard);
  if (!fs::exists(file)) return {};
  const auto rows = read_csv(file);
  if (rows.size() < 2 || rows.back().size() != 6) return {};
  return rows.back()[5];
}

// The manifest rows of a committed tar, from its .json members.
std::vector<ManifestEntry> rows_of_tar(const fs::path& tar) {
  std::vector<ManifestEntry> rows;
  read_tar(
      tar, [](const std::string& name) { return name.ends_with(".json"); },
      [&](const std::string& name, const std::string& data) {
        std::string key, ext;
        if (!split_member_name(name, key, ext) || ext != "json") return;
        const nlohmann::json j = nlohmann::json::parse(data);
        // run's samples name their painting, derive's their derivation (tar_sink.h): the manifest's column.
        const std::string second = j.contains("derivation") ? "derivation" : "painting";
        rows.push_back({j.at("content").get<std::string>(), j.at(second).get<std::string>(), key,
                        j.at("width").get<int>(), j.at("height").get<int>(), tar.filename().string()});
      });
  return rows;
}

// The tar a file of its series is about: the tar itself, or its DALI index (<name>.idx).
std::string tar_of(const std::string& name) {
  return name.ends_with(".idx") ? name.substr(0, name.size() - 4) + ".tar" : name;
}

}  // namespace

size_t remove_stale_tar_temporaries(const fs::path& out_dir, const std::string& prefix, size_t shard) {
  if (!fs::is_directory(out_dir)) return 0;
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(out_dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    std::string target;
    if (is_atomic_temporary(name, &target) && is_series_tar(tar_of(target), prefix, shard)) {
      stale.push_back(e.path());
    } else if (name.ends_with(".idx") && is_series_tar(tar_of(name), prefix, shard) &&
               !fs::exists(out_dir / tar_of(name))) {
      stale.push_back(e.path());  // an index whose tar was never renamed (killed between the two)
    }
  }
  for (const fs::path& p : stale) {
    std::error_code ec;
    fs::remove(p, ec);
    if (ec) log::warn(str_cat("cannot remove the stale temporary ", p.string(), ": ", ec.message()));
  }
  return stale.size();
}

size_t remove_tar_series(const fs::path& out_dir, const std::string& prefix, size_t shard) {
  const std::vector<fs::path> tars = series_tars(out_dir, prefix, shard);
  for (const fs::path& tar : tars) {
    fs::remove(tar);
    fs::remove(dali_index_path(tar));
  }
  return tars.size();
}

size_t rerecord_committed_tars(const fs::path& out_dir, const std::string& prefix, const ShardId& shard,
                               Journal& journal, RunRecorder& recorder) {
  const std::string last = last_recorded_tar(out_dir, shard);
  size_t recorded = 0;
  for (const fs::path& tar : series_tars(out_dir, prefix, shard.index)) {
    const std::string name = tar.filename().string();
    if (journal.recorded_tars.count(name) != 0 && name != last) continue;
    for (const ManifestEntry& row : rows_of_tar(tar)) {
      if (!journal.recorded_outputs.insert(row.output).second) continue;
      recorder.record_output(row);
      ++recorded;
    }
    journal.recorded_tars.insert(name);
  }
  recorder.flush();
  if (recorded > 0) log::info(str_cat("resume: ", recorded, " samples of committed tars recorded"));
  return recorded;
}

ResumeResult resume_tar_plan(const std::vector<PlannedContent>& planned, const Journal& journal) {
  ResumeResult result;
  for (const PlannedContent& p : planned) {
    if (journal.recorded_skips.count({"content", p.relative.generic_string()}) != 0) {
      ++result.contents_done;
      continue;
    }
    std::vector<fs::path> done;
    for (size_t k = 0; k < p.outputs.size(); ++k) {
      if (journal.recorded_outputs.count(output_key(p, k)) != 0) done.push_back(p.outputs[k]);
    }
    if (done.size() == p.outputs.size()) {
      ++result.contents_done;
      continue;
    }
    result.existing_outputs.insert(done.begin(), done.end());
    result.remaining.push_back(p);
  }
  return result;
}

}  // namespace sinforge
