// What a sink tells once a result is durable: its manifest row. The sinks record through this interface
// and the run's recorder (records/records.h: RunRecorder) implements it, so output/ knows nothing of the
// record files' format.
#pragma once

#include <string>

namespace sinforge {

// One output's provenance, a manifest row: paths relative to --content, --styles and --out.
struct ManifestEntry {
  std::string content;
  std::string painting;  // `derive`: how the output was made (derive_plan.h)
  std::string output;
  int width = 0;
  int height = 0;
  std::string tar;  // webdataset layout: the tar file (relative to --out) holding the sample; else empty
};

class Recorder {
 public:
  virtual ~Recorder() = default;
  // Records one durable output. Thread-safe.
  virtual void record_output(const ManifestEntry& entry) = 0;
  // Makes every recorded row durable; throws when the disk refuses.
  virtual void flush() = 0;
};

}  // namespace sinforge
