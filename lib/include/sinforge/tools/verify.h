// `sinforge verify`: is an output folder what its records say? Every manifest entry's output must exist and
// decode at its recorded size; when the shards wrote summaries, every shard must have one (a shard without
// it did not finish). Reads the records of records.h; writes nothing.
//
// The webdataset layout (manifests with a tar column, webdataset.h) is checked tar by tar: every member
// readable, every key complete (one image, one .cls, one .json, nothing else), the image decoding at the
// size its .json gives, the class the index of the content's folder in classes.txt, and the manifests
// agreeing with the tars: each row's key in its tar with the same content, painting and size, and no key
// in a tar without a row (unrecorded) or in two tars.
//
// Either layout: every file in the folder must be an output or a record of the run (a manifest, skipped
// list, summary, the settings, the style bank; classes.txt, tars and their indexes in the webdataset layout).
// Anything else is a stray: above all a temporary that an interrupted run left (a rerun of its shard removes
// it), else a file no record names.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sinforge/core/thread_pool.h"
#include "sinforge/records/records.h"

namespace sinforge {

struct VerifyProblem {
  std::string kind;    // "missing", "broken", "duplicate", "summary", "stray" or (webdataset) "unrecorded"
  std::string path;    // the output (relative to the folder) or, for "summary", the missing summary's name
  std::string reason;  // why, for the user
};

struct VerifyReport {
  size_t entries = 0;     // manifest rows, all shards
  size_t ok = 0;          // distinct outputs present, decodable, of the recorded size
  size_t missing = 0;     // distinct outputs not there
  size_t broken = 0;      // distinct outputs that do not decode or have another size
  size_t duplicates = 0;  // rows naming an output an earlier row named (two shards, or a rerun appending)
  size_t missing_summaries = 0;
  size_t tars = 0;                      // webdataset layout: tar files checked
  size_t unrecorded = 0;                // webdataset layout: samples in a tar that no manifest row names
  size_t stray = 0;                     // files that are neither outputs nor records (temporaries above all)
  std::vector<VerifyProblem> problems;  // in manifest order, then the summaries

  // Nothing missing or broken, no shard without its summary. Duplicates are reported but harmless: the
  // pairing is deterministic, so both writers wrote the same image.
  // For tars, a sample in two tars is broken: a dataset reader would see it twice. A stray file fails too:
  // a dataset reader may pick it up, and a temporary means a run was cut short.
  bool clean() const {
    return missing == 0 && broken == 0 && missing_summaries == 0 && unrecorded == 0 && stray == 0;
  }
  std::string summary_line() const;  // "12 entries, 10 ok, 1 missing, 1 broken, 0 duplicates, ..."; tars add
                                     // ", 3 tars, 0 unrecorded"; then ", 0 stray files"
};

// Throws UsageError when out_dir is no folder or holds no manifest. Decodes on pool.
VerifyReport verify_output(const std::filesystem::path& out_dir, ThreadPool& pool);

// The webdataset layout's checks (verify_tars.cpp), given every shard's manifest rows.
void verify_tar_output(const std::filesystem::path& out_dir, const std::vector<ManifestEntry>& entries,
                       ThreadPool& pool, VerifyReport& report);

// The shard summaries (sinforge.summary.shard-K-of-N.json) missing from out_dir, for every N that a
// manifest or summary there names. Empty when no summary exists at all (a run that never wrote one).
std::vector<std::string> missing_summaries(const std::filesystem::path& out_dir);

// The files below out_dir that are neither one of outputs (relative, '/' separated) nor a record of the
// layout (see above), sorted, each with why it is a stray.
std::vector<VerifyProblem> stray_files(const std::filesystem::path& out_dir,
                                       const std::set<std::string>& outputs, bool tar_layout);

}  // namespace sinforge
