// Where a run's results go: the output layout. The stylizer hands every result image to a sink; the sink
// makes it durable and only then records it in the journal (recorder.h; the run's manifest,
// records/records.h), so that a recorded sample is always complete on the disk. Two layouts: folder_sink.h
// (an ImageFolder tree of files, one per result) and tar_sink.h (WebDataset tar shards).
#pragma once

#include <cstddef>
#include <string>

#include <opencv2/core.hpp>

#include "sinforge/output/recorder.h"

namespace sinforge {

// One result: its manifest row (content, painting, planned output path relative to --out, size), which
// of the content's --num-styles paintings made it, and its key in the webdataset layout (webdataset.h
// output_key).
struct OutputSample {
  ManifestEntry entry;
  size_t style = 0;
  std::string key;
};

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  // Queues one RGB8 result; may block while too many are in flight. A failed earlier write is rethrown here.
  virtual void write(OutputSample sample, cv::Mat rgb) = 0;
  // Makes everything queued durable and recorded; rethrows the first failure.
  virtual void finish() = 0;
  // Results made durable so far.
  virtual size_t written() const = 0;
};

}  // namespace sinforge
