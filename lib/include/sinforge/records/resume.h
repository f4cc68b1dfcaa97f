// Resuming a run: running the same command again continues where the last one stopped.
//
// Outputs are written under a temporary name and renamed when complete (write_file_atomic), so a file under
// its final name is whole. The manifests are the journal: an output that exists and has a manifest row is
// done. After a kill an output may exist whose row was never flushed (at most the batches in flight): it
// is re-recorded from the file itself rather than recomputed. Temporaries left by a killed process are
// removed, but only those of this shard's outputs and records: other shards may be writing into the same
// folder.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sinforge/plan/output_plan.h"
#include "sinforge/records/records.h"

namespace sinforge {

// What earlier runs left in an output folder, read from every shard's records.
struct Journal {
  std::set<std::string> recorded_outputs;                        // manifest "output" column
  std::set<std::string> recorded_tars;                           // manifest "tar" column (webdataset)
  std::set<std::pair<std::string, std::string>> recorded_skips;  // (kind, path) of skipped rows
};

Journal read_journal(const std::filesystem::path& out_dir);

// Removes the temporaries below out_dir whose final name is one of planned's outputs. Returns how many.
size_t remove_stale_temporaries(const std::filesystem::path& out_dir,
                                const std::vector<PlannedContent>& planned);

// Removes the temporaries of the records a killed run of shard left (its manifest, skipped list and summary;
// the settings record, classes.txt and the style bank, which every shard writes, when the temporary names
// this shard as its owner, or, with a single shard, any of them: no other writer can be busy). bank_file:
// the style bank in use, which --style-bank may place outside out_dir. Returns how many.
size_t remove_stale_record_temporaries(const std::filesystem::path& out_dir, const ShardId& shard,
                                       const std::filesystem::path& bank_file);

struct ResumeResult {
  std::vector<PlannedContent> remaining;  // content images still to do
  size_t contents_done = 0;               // left out: every output exists (or the input is a recorded skip)
  size_t outputs_rerecorded = 0;          // existed without a manifest row; rows added
  // Outputs of remaining content images that already exist (num-styles > 1, killed between two of them):
  // recorded, and not to be written again.
  std::set<std::filesystem::path> existing_outputs;
};

// Drops from planned every content image whose outputs all exist, and every one recorded as skipped.
// Outputs that exist without a manifest row are recorded now (painting names from bank_paintings, the size
// from the file). Content images with some outputs missing stay, but their existing outputs are recorded
// and are not written again (ResumeResult::existing_outputs).
ResumeResult resume_plan(const std::vector<PlannedContent>& planned,
                         const std::vector<std::filesystem::path>& bank_paintings,
                         const std::filesystem::path& out_dir, const Journal& journal, RunRecorder& recorder);

}  // namespace sinforge
