// --pairs FILE: an explicit content-to-painting map that replaces the seeded draw (pairing.h), to reproduce
// a dataset exactly or to study chosen pairings.
//
// The file is CSV with the records' quoting (core/csv.h), rows `content,painting[,k]`: paths relative to
// --content and --styles, as a manifest writes them; k (a whole number) orders one content's paintings (the
// webdataset sample's "k"), and without it the rows' order does. A first row starting `content,painting` is
// a header, and then the columns are found by name: so a run's manifest
// (`content,painting,output,width,height[,tar]`) is itself a pairs file, and several manifests concatenated
// (header rows repeated, the same row twice) are too. Contract of the run: each listed content gets exactly
// its listed paintings, contents not listed are not stylized, and a path that is not in --content or
// --styles fails before any work (check_pairs_known).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sinforge {

struct ExplicitPairs {
  std::filesystem::path file;
  // content (relative, '/'-separated) -> its paintings (relative to --styles), in k order; each once.
  std::map<std::string, std::vector<std::string>> paintings_of;
  // Whether any content lists more than one painting: its outputs then take the several-style names
  // (output_plan.h), as a --num-styles N > 1 run names them.
  bool several() const;
};

// Reads and checks the file's form. Throws UsageError naming the file and line on: a file that cannot be
// read, no pairs, a row of fewer than two fields or an empty path, a k that is not a whole number, one
// content listing the same k twice or the same painting under two k.
ExplicitPairs read_pairs_file(const std::filesystem::path& file);

// Throws UsageError when a listed content is not among contents or a painting not among paintings (the
// scans' relative paths), naming the first of each and how many there are.
void check_pairs_known(const ExplicitPairs& pairs, const std::vector<std::filesystem::path>& contents,
                       const std::vector<std::filesystem::path>& paintings);

// A digest of the whole map, for the settings record (run_settings.h): a rerun into the same --out with
// another map is refused.
std::string pairs_digest(const ExplicitPairs& pairs);

}  // namespace sinforge
