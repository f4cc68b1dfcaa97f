// Resuming a run of the webdataset layout (webdataset.h, tar_sink.h).
//
// A tar appears under its final name only once complete and fsynced; its samples are recorded in the
// manifest (output = key, tar = file) right after. So after a kill:
//   - the open tar is a temporary ".<tar>.tmp-<pid>-<n>": removed, its samples recomputed;
//   - a committed tar may lack some or all of its rows (killed between the rename and the flush): its
//     samples are re-recorded from its .json members, never recomputed. Only tars no manifest names and the
//     last tar this shard's manifest names can be in that state, so only those are read.
// A sample is done once its key is recorded. New tars continue the shard's series at its next free number.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sinforge/plan/output_plan.h"
#include "sinforge/records/records.h"
#include "sinforge/records/resume.h"

namespace sinforge {

// Removes the temporaries of the shard's series (tars and their DALI indexes) at the top of out_dir, and
// indexes whose tar does not exist (a kill between writing the index and renaming the tar). Returns how many.
size_t remove_stale_tar_temporaries(const std::filesystem::path& out_dir, const std::string& prefix,
                                    size_t shard);

// Removes the shard's committed tars and their indexes (--overwrite: every sample is recomputed). Returns
// how many tars.
size_t remove_tar_series(const std::filesystem::path& out_dir, const std::string& prefix, size_t shard);

// Records the samples of the shard's committed tars that the journal lacks (see above), adding their keys
// to journal.recorded_outputs. Returns how many samples were recorded.
size_t rerecord_committed_tars(const std::filesystem::path& out_dir, const std::string& prefix,
                               const ShardId& shard, Journal& journal, RunRecorder& recorder);

// As resume_plan, for keys: drops every content image whose samples are all recorded (or which is recorded
// as skipped); the planned outputs of recorded samples of the others go to existing_outputs.
ResumeResult resume_tar_plan(const std::vector<PlannedContent>& planned, const Journal& journal);

}  // namespace sinforge
