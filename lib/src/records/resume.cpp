#include "sinforge/records/resume.h"

#include <algorithm>
#include <cctype>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/log.h"
#include "sinforge/image/image_io.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/records/run_settings.h"
#include "sinforge/records/style_bank_file.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

void read_skips(const fs::path& out_dir, Journal& journal) {
  for (const auto& e : fs::directory_iterator(out_dir)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("sinforge.skipped.") || !name.ends_with(".csv")) continue;
    const auto rows = read_csv(e.path());
    for (size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].size() == 3) journal.recorded_skips.emplace(rows[i][0], rows[i][1]);
    }
  }
}

}  // namespace

Journal read_journal(const fs::path& out_dir) {
  Journal journal;
  if (!fs::is_directory(out_dir)) return journal;
  for (const ManifestEntry& e : read_manifests(out_dir)) {
    journal.recorded_outputs.insert(e.output);
    if (!e.tar.empty()) journal.recorded_tars.insert(e.tar);
  }
  read_skips(out_dir, journal);
  return journal;
}

size_t remove_stale_temporaries(const fs::path& out_dir, const std::vector<PlannedContent>& planned) {
  if (!fs::is_directory(out_dir)) return 0;
  std::set<fs::path> mine;
  for (const PlannedContent& p : planned) {
    for (const fs::path& o : p.outputs) mine.insert(o);
  }
  std::vector<fs::path> stale;
  for (const auto& e : fs::recursive_directory_iterator(out_dir)) {
    std::string target;
    if (!e.is_regular_file() || !is_atomic_temporary(e.path().filename().string(), &target)) continue;
    const fs::path relative = fs::relative(e.path().parent_path(), out_dir) / target;
    if (mine.count(relative.lexically_normal()) != 0) stale.push_back(e.path());
  }
  for (const fs::path& p : stale) {
    std::error_code ec;
    fs::remove(p, ec);
    if (ec) log::warn(str_cat("cannot remove the stale temporary ", p.string(), ": ", ec.message()));
  }
  return stale.size();
}

size_t remove_stale_record_temporaries(const fs::path& out_dir, const ShardId& shard,
                                       const fs::path& bank_file) {
  const std::set<std::string> own = {manifest_path(out_dir, shard).filename().string(),
                                     skipped_path(out_dir, shard).filename().string(),
                                     summary_path(out_dir, shard).filename().string()};
  const std::set<std::string> shared = {settings_path(out_dir).filename().string(),
                                        classes_path(out_dir).filename().string(), kDefaultStyleBankName,
                                        bank_file.filename().string()};
  std::vector<fs::path> stale;
  const auto collect = [&](const fs::path& dir, const std::set<std::string>& shared_here) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string target, owner;
      if (!e.is_regular_file() || !is_atomic_temporary(e.path().filename().string(), &target, &owner))
        continue;
      const bool mine = dir == out_dir && own.count(target) != 0;
      const bool shared_mine = shared_here.count(target) != 0 && (owner == shard.label() || shard.count == 1);
      if (mine || shared_mine) stale.push_back(e.path());
    }
  };
  collect(out_dir, shared);
  const fs::path bank_dir = bank_file.parent_path().empty() ? fs::path(".") : bank_file.parent_path();
  std::error_code ec;
  if (!bank_file.empty() && !fs::equivalent(bank_dir, out_dir, ec))
    collect(bank_dir, {bank_file.filename().string()});
  for (const fs::path& p : stale) {
    std::error_code remove_ec;
    fs::remove(p, remove_ec);
    if (remove_ec)
      log::warn(str_cat("cannot remove the stale temporary ", p.string(), ": ", remove_ec.message()));
  }
  return stale.size();
}

ResumeResult resume_plan(const std::vector<PlannedContent>& planned,
                         const std::vector<fs::path>& bank_paintings, const fs::path& out_dir,
                         const Journal& journal, RunRecorder& recorder) {
  ResumeResult result;
  for (const PlannedContent& p : planned) {
    if (journal.recorded_skips.count({"content", record_path(p).generic_string()}) != 0) {
      ++result.contents_done;
      continue;
    }
    size_t existing = 0;
    for (size_t k = 0; k < p.outputs.size(); ++k) {
      const std::string output = p.outputs[k].generic_string();
      if (!fs::exists(out_dir / p.outputs[k])) continue;
      ++existing;
      result.existing_outputs.insert(p.outputs[k]);
      if (journal.recorded_outputs.count(output) != 0) continue;
      // Complete (atomic rename) but its row was lost with the process: the size comes from the file.
      const cv::Mat image = read_image(out_dir / p.outputs[k]);
      recorder.record_output({p.relative.generic_string(), bank_paintings[p.paintings[k]].generic_string(),
                              output, image.cols, image.rows, ""});
      ++result.outputs_rerecorded;
    }
    if (existing == p.outputs.size()) {
      ++result.contents_done;
      for (const fs::path& o : p.outputs) result.existing_outputs.erase(o);
    } else {
      result.remaining.push_back(p);
    }
  }
  recorder.flush();
  return result;
}

}  // namespace sinforge
